/** `npm start`: the product on this machine, until Ctrl-C. */
import { startLocalStack } from './local-stack.js';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, not "${process.env.PORT}"`);
  process.exit(1);
}

// `npm start -- --empty`: no demo data, an empty table as a fresh deploy has, for trying the go-live imports.
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--empty');
if (unknown.length > 0) {
  console.error(`Unknown option ${unknown.join(' ')}: npm start takes only --empty (start with an empty table, no demo data)`);
  process.exit(1);
}
const empty = args.includes('--empty');

process.env.LOG_LEVEL ??= 'info';
// Lambda runs Node.js 22; the SDK's notice about Node.js 20 is for this machine only.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
console.log(`Starting parkrun practice nudges (DynamoDB Local, ${empty ? 'an empty table' : 'demo data'}, API, mailbox, watchers, scheduler)...`);
const stack = await startLocalStack({ port, runtimeFile: '.local/runtime.json', demoData: !empty }).catch((error: unknown) => {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
process.on('exit', () => stack.kill());

console.log(`\nparkrun practice nudges is running at ${stack.url}`);
console.log('  /           local home: move the clock, see the links on the ladder');
console.log('  /register   register a practice      /dev/mail   the local mailbox (and /dev/mail.json)');
console.log('  /health     table check              Ctrl-C      stop everything');
console.log(`  SMTP on 127.0.0.1:${stack.replies.port}: the reply inbox, standing in for SES receiving (reply to an email's reply+… address; SMTP_PORT moves it)`);
if (empty) console.log('  The table is empty: load events, teams and practices with `npm run cli -- events import ...` (docs/go-live.md).');
console.log('');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping...`);
  const force = setTimeout(() => process.exit(1), 8000);
  force.unref();
  await stack.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
