// The queues every module keeps, hosted here or not: those of the subscriptions and timers its
// definition declares. A process reports the backlog of the queues it only keeps for a module
// hosted elsewhere too, so the alert still fires when that module's every process is down: the one
// case where nobody else would report it.
import { subscriptionQueue, timerQueue } from '../events/event-bus.js';
import type { ModuleDefinition } from '../modules/module-definition.js';

export function declaredQueues(definitions: readonly Pick<ModuleDefinition, 'name' | 'subscriptions' | 'timers'>[]): string[] {
  return definitions.flatMap(({ name: module, subscriptions = [], timers = [] }) => [
    ...subscriptions.map(({ name }) => subscriptionQueue({ module, name })),
    ...timers.map(({ name }) => timerQueue({ module, name })),
  ]);
}
