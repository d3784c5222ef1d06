/**
 * Emergency access under review (issue 18 point 4). HIPAA 45 CFR 164.312(a)(2)(ii) asks for an
 * emergency access procedure and 164.308(a)(1)(ii)(D) for a regular review of activity: each time
 * someone opened a chart beyond their role, an administrator sees why, what was read, and records
 * their review. Built from audit events alone ('break-glass', the reads marked as made under
 * emergency access, and 'emergency-reviewed'), which every computer of the clinic syncs.
 */

/** The fields of an audit event this needs (renderer/db/audit-repository AuditEntry has them). */
export type ReviewAuditLine = {
  id: string;
  at: string;
  action: string;
  userId: string;
  userName: string;
  patientId: string;
  patientName: string;
  recordKind: string;
  recordId: string;
  detail: string;
};

export type EmergencyRead = { at: string; recordKind: string; recordId: string };

export type EmergencyUse = {
  /** The 'break-glass' audit event's id: what a review points at. */
  id: string;
  at: string;
  until: string;
  userId: string;
  userName: string;
  patientId: string;
  patientName: string;
  reason: string;
  reads: EmergencyRead[];
  review?: { at: string; userName: string; finding: string };
};

/** The marker RecordStore.audit adds to a read made possible only by emergency access. */
export const EMERGENCY_READ_MARK = 'Under emergency access';
export const REVIEW_FINDING_PREFIX = 'Review: ';
const GRANT = /^Emergency access for (\d+) minutes?: ([\s\S]*)$/;

/**
 * Each emergency access, newest first, with the records read under it and its review if one was
 * recorded. A read belongs to the latest access by the same user to the same patient that began
 * at or before it and had not ended.
 */
export function emergencyUses(lines: readonly ReviewAuditLine[]): EmergencyUse[] {
  const uses: EmergencyUse[] = lines
    .filter((l) => l.action === 'break-glass')
    .map((l) => {
      const m = GRANT.exec(l.detail);
      const minutes = m ? Number(m[1]) : 60;
      return {
        id: l.id,
        at: l.at,
        until: new Date(Date.parse(l.at) + minutes * 60_000).toISOString(),
        userId: l.userId,
        userName: l.userName,
        patientId: l.patientId,
        patientName: l.patientName,
        reason: m ? m[2]!.trim() : l.detail,
        reads: [],
      };
    })
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const byId = new Map(uses.map((u) => [u.id, u]));
  const reads = lines
    .filter((l) => l.action === 'view' && l.detail.includes(EMERGENCY_READ_MARK))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  for (const r of reads) {
    const use = uses.find(
      (u) =>
        u.userId === r.userId && u.patientId === r.patientId && u.at <= r.at && r.at <= u.until,
    );
    use?.reads.push({ at: r.at, recordKind: r.recordKind, recordId: r.recordId });
  }
  for (const l of lines) {
    if (l.action !== 'emergency-reviewed') continue;
    const use = byId.get(l.recordId);
    if (!use || (use.review && use.review.at <= l.at)) continue;
    const finding = l.detail.startsWith(REVIEW_FINDING_PREFIX)
      ? l.detail.slice(REVIEW_FINDING_PREFIX.length)
      : l.detail;
    use.review = { at: l.at, userName: l.userName, finding };
  }
  return uses;
}

/** How many uses still wait for an administrator's review. */
export function unreviewedCount(uses: readonly EmergencyUse[]): number {
  return uses.filter((u) => !u.review).length;
}

export const REVIEW_FINDING_MIN = 10;

/** A review's written finding: what the administrator concluded, in a sentence or more. */
export function reviewFindingProblem(finding: string): string | undefined {
  if (finding.trim().length < REVIEW_FINDING_MIN)
    return `Write what you found (at least ${REVIEW_FINDING_MIN} characters): for example whether the reason was a real emergency and the records read were needed for it.`;
  return undefined;
}
