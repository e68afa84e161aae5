/**
 * Categories by hand and by rule, lifecycle statuses, RFM segments, follow-ups
 * and the structure of the portfolio (issue 5). See run.ts for what
 * `carnet categorise` recomputes and in which order.
 */
export { categorise, type CategoriseInput, type CategoriseReport, type CategoryChange, type StatusChange } from './run.js';
export {
  addCategory,
  editCategory,
  describeCategory,
  findCategory,
  listCategories,
  removeCategory,
  type CategoryEdit,
  type CategoryInput,
  type CategoryListing,
  type CategoryResult,
} from './categories.js';
export { tag, untag, type TagResult, type UntagResult } from './tags.js';
export { listFollowups, describeFollowup, type Followup, type FollowupItem, type FollowupReason, type FollowupsResult } from './followups.js';
export { portfolioStats, revenueStructure, type PortfolioStats, type RevenueBand, type Concentration, type StatsInput } from './stats.js';
export { readSettings, listSettings, setSetting, SETTING_DEFS, type CategoriseSettings, type SettingView } from './settings.js';
export { RFM_SEGMENTS, RFM_PREFIX, fmScore, quintileBounds, quintileScore, rfmSegment, scoreAgainst, scoreCustomers, type RfmSegment, type RfmSegmentKey } from './rfm.js';
export { diffSorted } from './members.js';
export { FOLLOWUP_CATEGORY, isBuiltinName, type CustomerBrief } from './common.js';
export { foldName, orderRules, parseRule, type ParsedRule } from './rules.js';
