import type { ConsultationStatus } from "../../db/schema";

/**
 * Whether the consultation takes part now: open phase, between its dates. One window for
 * everything residents and associations do in it (vote, change or withdraw a ballot, comment,
 * reply, publish a contribution).
 */
export function consultationIsOpen(
  consultation: { status: ConsultationStatus; opens_at: string | null; closes_at: string | null },
  now: Date,
): boolean {
  const iso = now.toISOString();
  return (
    consultation.status === "open" &&
    (!consultation.opens_at || consultation.opens_at <= iso) &&
    (!consultation.closes_at || iso < consultation.closes_at)
  );
}
