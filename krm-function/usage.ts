/** The help text of reflect-fn, printed by `reflect-fn --help`. */
export const USAGE = `reflect-fn: expands kube-reflect mirrors in a package of Kubernetes objects (a KRM function).

Sources are the package's objects annotated with kube-reflect.io/* or reflector.v1.k8s.emberstack.com/*;
target namespaces are the package's Namespace objects plus those the function config names.
Every input item is kept; a mirror is added in each target namespace; pull mirrors are filled;
mirrors reflect-fn generated before and no longer wants are removed.

Usage:
  kpt fn eval DIR --exec reflect-fn [-- namespaces=a,b namespaceLabels='a:env=prod;b:env=dev' ...]
  kpt fn render DIR --allow-exec            (Kptfile pipeline: mutators: - exec: reflect-fn)
  kustomize build --enable-alpha-plugins --enable-exec DIR   (a ReflectConfig transformer with exec: {path: ...})
  kubectl kustomize --enable-alpha-plugins DIR  (installed as a legacy plugin:
      $XDG_CONFIG_HOME/kustomize/plugin/fn.kube-reflect.io/v1alpha1/reflectconfig/ReflectConfig)
  kpt fn source DIR | reflect-fn

Protocols: a ResourceList on stdin is the KRM protocol; otherwise, when the first argument is a file, it is
kustomize's legacy exec plugin protocol (that file is the config; a YAML stream on stdin and stdout).

Function config (apiVersion: fn.kube-reflect.io/v1alpha1, kind: ReflectConfig, or a ConfigMap's data):
  spec.namespaces        [{name, labels}]   namespaces outside the package     (data: namespaces=a,b)
                                                                              (data: namespaceLabels=a:k=v,k2=v2;b:k=v)
  spec.defaultNamespace  namespace of namespaced items without one (default: default)
  spec.mirrorPath        file of each generated mirror (default: mirrors/{namespace}/{kind}-{name}.yaml;
                         placeholders {namespace} {name} {kind} {group} {sourceNamespace} {sourceName})
  spec.maxTargets        the most target namespaces any source may have

Exit status: 0 done; 1 a result of severity error (the ResourceList is still written); 2 unreadable input.
See docs/krm-function.md.
`;
