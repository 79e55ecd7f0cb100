import { mintToken } from './dev-keys';

/** `npm run token -- <customer> [ttl-seconds]`: a development bearer token for the edge. */
const [customerId, ttl] = process.argv.slice(2);
if (!customerId || !/^[A-Za-z0-9_-]{1,64}$/.test(customerId)) {
  console.error('usage: npm run token -- <customer-id> [ttl-seconds]   e.g. npm run token -- alice');
  process.exit(64);
}
process.stdout.write(`${mintToken(customerId, { ttlSeconds: ttl ? Number(ttl) : undefined })}\n`);
