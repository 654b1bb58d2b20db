// Starts `facet-cli serve` for the node client tests and resolves with its
// base URL (…/v1) once it prints "listening on http://127.0.0.1:PORT".
import { spawn } from 'node:child_process';

export async function startServe(cli, args) {
  const server = spawn(cli, ['serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseURL = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
      if (m) resolve(m[1] + '/v1');
    });
    server.on('exit', (code) => reject(new Error(`facet-cli serve exited with ${code}`)));
  });
  return { server, baseURL };
}
