import { listDeadLetters, replayDeadLetters } from '@funshop/platform/messaging/dead-letters';
import { decodeEvent } from './event-types';
import { DEVELOPMENT, brokerUrl } from './layout';

const USAGE = `usage: npm run dlq -- <command> <consumer> [message-id] [--accept-past-horizon]

  list    <consumer>               one line per dead-lettered event: id, type, attempts, last error
  inspect <consumer> <message-id>  every header and the payload decoded as JSON
  replay  <consumer> [message-id]  put one (or every) dead letter back on the consumer's queue
          --accept-past-horizon    apply it even if it occurred before the inbox horizon: only after
                                   checking it was never applied (the inbox no longer remembers)

<consumer> is the consuming service, e.g. cart (its dead letters are in cart.events.dead).
It reads the broker of \`npm start\` (${brokerUrl(DEVELOPMENT)}); RABBITMQ_URL points it at another.`;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const acceptPastHorizon = args.includes('--accept-past-horizon');
  const [command, consumer, messageId] = args.filter((arg) => arg !== '--accept-past-horizon');
  const url = process.env.RABBITMQ_URL ?? brokerUrl(DEVELOPMENT);
  if (!consumer || !['list', 'inspect', 'replay'].includes(command) || (command === 'inspect' && !messageId)) {
    console.error(USAGE);
    return 64;
  }
  if (command === 'replay') {
    const replayed = await replayDeadLetters(url, consumer, messageId, { acceptPastHorizon });
    console.log(replayed.length === 0 ? 'nothing to replay' : `replayed ${replayed.length}: ${replayed.join(', ')}`);
    return messageId && replayed.length === 0 ? 1 : 0;
  }
  const letters = await listDeadLetters(url, consumer);
  if (command === 'list') {
    if (letters.length === 0) console.log(`no dead letters for ${consumer}`);
    for (const letter of letters) console.log(`${letter.messageId}  ${letter.eventType}  attempts=${letter.attempts}  ${letter.lastError}`);
    return 0;
  }
  const letter = letters.find((l) => l.messageId === messageId);
  if (!letter) {
    console.error(`no dead letter ${messageId} for ${consumer}`);
    return 1;
  }
  const payload = decodeEvent(letter.eventType, Buffer.from(letter.payloadBase64, 'base64'));
  console.log(JSON.stringify({ ...letter, payload: payload ?? `(undecoded) ${letter.payloadBase64}` }, null, 2));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`dlq: ${error.message}`);
    process.exit(1);
  },
);
