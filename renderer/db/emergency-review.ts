/**
 * The administrators' review of emergency access (issue 18 point 4; rules in
 * shared/rules/emergency-review.ts). Reading the queue is reading the audit log, so it is
 * administrators only; recording a review is itself an audit event ('emergency-reviewed'), which
 * syncs like every other, so each administrator's computer sees it as reviewed.
 */
import {
  type EmergencyUse,
  REVIEW_FINDING_PREFIX,
  emergencyUses,
  reviewFindingProblem,
  unreviewedCount,
} from '../../shared/rules/emergency-review';
import { RuleError } from '../../shared/rules/errors';
import { assertAuditReviewer, listAuditEvents } from './audit-repository';
import type { RecordStore } from './record-store';

/** Every emergency access, newest first, with what was read under it and its review. */
export async function listEmergencyUses(store: RecordStore): Promise<EmergencyUse[]> {
  assertAuditReviewer(store);
  const [grants, views, reviews] = await Promise.all([
    listAuditEvents(store, { action: 'break-glass' }),
    listAuditEvents(store, { action: 'view' }),
    listAuditEvents(store, { action: 'emergency-reviewed' }),
  ]);
  return emergencyUses([...grants, ...views, ...reviews]);
}

/**
 * The count beside "Emergency access review" for an administrator (not their own uses, which
 * another administrator reviews); 0 for everyone else. It runs
 * again at every audit event (a live query), so it reads only the grants and reviews, through the
 * audit table's action index, and decrypts nothing (names and reasons are not needed to count).
 */
export async function emergencyUsesToReview(store: RecordStore): Promise<number> {
  if (!store.roles.includes('administrator')) return 0;
  const rows = await store.db.audit
    .where('action')
    .anyOf('break-glass', 'emergency-reviewed')
    .toArray();
  // Their own uses wait for another administrator: not counted as theirs to do.
  const me = store.session.user.id;
  return unreviewedCount(
    emergencyUses(
      rows
        .filter((r) => !(r.action === 'break-glass' && r.userId === me))
        .map((r) => ({
          id: r.id,
          at: r.at,
          action: r.action,
          userId: r.userId,
          userName: '',
          patientId: r.patientId,
          patientName: '',
          recordKind: r.recordKind,
          recordId: r.recordId,
          detail: '',
        })),
    ),
  );
}

/**
 * Records an administrator's review of one emergency access, with what they found. Refused in
 * words, changing nothing, when the finding is too short, the access is unknown, it is already
 * reviewed, or the reviewer is the person who used it.
 */
export async function recordEmergencyReview(
  store: RecordStore,
  useId: string,
  finding: string,
): Promise<void> {
  assertAuditReviewer(store);
  const problem = reviewFindingProblem(finding);
  if (problem) throw new RuleError('emergency-review.finding', problem);
  const use = (await listEmergencyUses(store)).find((u) => u.id === useId);
  if (!use)
    throw new RuleError('not-found', 'That emergency access is not in this computer’s audit log.');
  if (use.review)
    throw new RuleError(
      'emergency-review.done',
      `${use.review.userName} has already reviewed this emergency access; a review is recorded once.`,
    );
  if (use.userId === store.session.user.id)
    throw new RuleError(
      'emergency-review.self',
      'Another administrator must review your own emergency access.',
    );
  await store.audit('emergency-reviewed', {
    recordId: use.id,
    patientId: use.patientId,
    detail: `${REVIEW_FINDING_PREFIX}${finding.trim()}`,
  });
}
