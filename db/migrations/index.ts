import type { Migration } from "kysely";
import * as foundations from "./2026_11_23_0900_foundations";
import * as catalogue from "./2026_11_23_1000_catalogue";
import * as ballots from "./2026_11_23_1100_ballots";
import * as comments from "./2026_11_23_1200_comments";
import * as audit from "./2026_11_23_1300_audit";
import * as reports from "./2026_11_23_1400_reports";
import * as flags from "./2026_12_04_1000_flags";
import * as englishStatus from "./2026_12_04_1010_english_status";
import * as catalogueCorrections from "./2026_12_04_1100_catalogue_corrections";
import * as liveSnapshots from "./2026_12_04_1200_live_snapshots";
import * as identitySecurity from "./2026_12_04_1300_identity_security";
import * as answers from "./2026_12_04_1600_answers";
import * as englishCodes from "./2026_12_04_1700_english_codes";
import * as assurance from "./2026_12_04_1800_assurance";
import * as electorate from "./2026_12_04_1900_electorate";
import * as franceconnect from "./2026_12_04_2000_franceconnect";
import * as residence from "./2026_12_04_2100_residence";
import * as ops from "./2026_12_04_2400_ops";
import * as rankIntervals from "./2026_12_05_0400_rank_intervals";
import * as ballotEventDays from "./2026_12_05_0500_ballot_event_days";

/**
 * Every migration, by its sortable name. Listed statically (not read from the folder at run time)
 * so the same set runs from the bundled server and from the CLI.
 */
export const migrations: Record<string, Migration> = {
  "2026_11_23_0900_foundations": foundations,
  "2026_11_23_1000_catalogue": catalogue,
  "2026_11_23_1100_ballots": ballots,
  "2026_11_23_1200_comments": comments,
  "2026_11_23_1300_audit": audit,
  "2026_11_23_1400_reports": reports,
  "2026_12_04_1000_flags": flags,
  "2026_12_04_1010_english_status": englishStatus,
  "2026_12_04_1100_catalogue_corrections": catalogueCorrections,
  "2026_12_04_1200_live_snapshots": liveSnapshots,
  "2026_12_04_1300_identity_security": identitySecurity,
  "2026_12_04_1600_answers": answers,
  "2026_12_04_1700_english_codes": englishCodes,
  "2026_12_04_1800_assurance": assurance,
  "2026_12_04_1900_electorate": electorate,
  "2026_12_04_2000_franceconnect": franceconnect,
  "2026_12_04_2100_residence": residence,
  "2026_12_04_2400_ops": ops,
  "2026_12_05_0400_rank_intervals": rankIntervals,
  "2026_12_05_0500_ballot_event_days": ballotEventDays,
};
