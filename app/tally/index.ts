// The tally engine: pure functions, no database, no Remix. See tally.ts for the entry point.
export * from "./types";
export { aggregateBallots, aggregatesFromRows, type CountRow } from "./aggregate";
export { tally } from "./tally";
export { explanation } from "./explanation";
export {
  bootstrapIntervals,
  bootstrapRanks,
  mulberry32,
  seedFromString,
  type BootstrapOptions,
  type BootstrapResult,
  type RankInterval,
} from "./bootstrap";
export {
  SMALL_GROUP_THRESHOLD,
  ballotsByArrondissement,
  isSmallGroup,
  participation,
  smallGroupLabel,
  type ParticipationRow,
} from "./participation";
export {
  inNode,
  planDisclosure,
  publishedTally,
  unitPopulations,
  unitTally,
  withheldLabel,
  type DisclosureOptions,
  type DisclosurePlan,
  type Place,
  type PlaceCounts,
  type Suppression,
  type TerritoryNode,
} from "./disclosure";
export { planGroups, spearman, topAgreement, type TopAgreement } from "./agreement";
