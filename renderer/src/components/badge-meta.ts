/* What each verification badge shows: words, an icon and a tone, and the order badges are listed in — from core's catalogue, through the contract. */
export { BADGES, BADGE_ORDER, type BadgeKey } from '../../../electron/ipc/contract/labels';
