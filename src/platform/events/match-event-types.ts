// Which event types a subscription pattern matches. One function, so that the queues the bus feeds
// and the operations the AsyncAPI document lists can never disagree about a wildcard.
import ee2 from 'eventemitter2';

const { EventEmitter2 } = ee2;

/** The types among `types` that `pattern` (an event type, or a wildcard such as `users.*`) matches, as eventemitter2 matches them. */
export function matchingEventTypes(pattern: string, types: readonly string[]): string[] {
  const matcher = new EventEmitter2({ wildcard: true, delimiter: '.' });
  matcher.on(pattern, () => {});
  return types.filter((type) => matcher.listeners(type).length > 0);
}
