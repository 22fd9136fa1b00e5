/** Runs a world through the core planner until it converges, as every surface does with its own I/O. */
import type { Finding, Plan, PlanOptions, World } from '../../core/index.ts';
import { applyPlanToWorld, planReflection, planWrites } from '../../core/index.ts';

/** The result of converging: the final world, the first plan's findings, and how many rounds it took. */
export interface Converged {
  world: World;
  findings: Finding[];
  rounds: number;
  lastPlan: Plan;
}

/** Plans and applies until the plan is empty (at most `maxRounds`), returning the final world. */
export function converge(start: World, options: PlanOptions = {}, maxRounds = 5): Converged {
  let world = start;
  let plan = planReflection(world, options);
  const findings = plan.findings;
  let rounds = 0;
  while (planWrites(plan) > 0 && rounds < maxRounds) {
    world = applyPlanToWorld(world, plan);
    plan = planReflection(world, options);
    rounds++;
  }
  return { world, findings, rounds, lastPlan: plan };
}
