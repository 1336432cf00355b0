/**
 * Short labels for codes (badges, checks, errors, modes, container and listing states), shared
 * with the CLI and receipts; re-exported here because the renderer may import only the contract.
 */
export {
  BADGES,
  BADGE_ORDER,
  badgeLabel,
  checkLabel,
  containerWords,
  listingStateWords,
  modeTitle,
  type BadgeKey,
  type BadgeMeta,
  type BadgeTone,
} from '../../core/catalogue/short-labels';
export { errorLabel } from '../../core/catalogue/error-catalogue';
