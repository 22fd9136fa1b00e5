// The floor of a client, for the transport probes: one POST with node:http or node:https and nothing around it.
import http from 'node:http';
import https from 'node:https';

/** Where a bare POST goes: module, server, path, agent, and an Authorization header value when the server wants one. */
export interface BareTarget {
  protocol: 'http:' | 'https:';
  host: string;
  port: string | number;
  path: string;
  agent: http.Agent;
  authorization?: string;
}

/**
 * POSTs a JSON body and resolves once a 201 answer is read and parsed; rejects on any other status or a socket error.
 * No spreads or helpers on the way: under the controller's flags (no optimising compiler) each costs measurable CPU,
 * and this is the figure our client is read against.
 */
export function barePost(target: BareTarget, object: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(JSON.stringify(object));
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json', 'content-length': body.length };
    if (target.authorization !== undefined) headers.authorization = target.authorization;
    const options = {
      host: target.host,
      port: target.port,
      path: target.path,
      method: 'POST',
      agent: target.agent,
      headers,
    };
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 201) reject(new Error(`HTTP ${res.statusCode}`));
        else resolve(void JSON.parse(Buffer.concat(chunks).toString()));
      });
    };
    const req = target.protocol === 'https:' ? https.request(options, onResponse) : http.request(options, onResponse);
    req.on('error', reject);
    req.end(body);
  });
}
