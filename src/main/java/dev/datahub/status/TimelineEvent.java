package dev.datahub.status;

/**
 * One event in a hub's history, read from a deployment record: a deploy, promotion, rollback or recovery, or the smoke
 * test that judged it.
 *
 * @param time the writer's clock (shown only)
 * @param kind {@code deploy}, {@code promote}, {@code rollback}, {@code recover} or {@code smoke}
 * @param outcome {@code succeeded}, {@code failed}, {@code rolled-back} (a change); {@code passed}, {@code failed}
 *     (a smoke test)
 * @param detail the failure, the smoke summary, or where a promotion came from
 * @param forcedBy who forced a promotion past the gate, null when it was not forced
 * @param forcedReason the reason they gave
 * @param verified whether the record's signature verifies with the namespace's key
 */
public record TimelineEvent(
    String time,
    String environment,
    String kind,
    String outcome,
    String record,
    int revision,
    String imageDigest,
    String chart,
    String detail,
    String forcedBy,
    String forcedReason,
    boolean verified) {

  public boolean forced() {
    return forcedBy != null;
  }

  /** The colour class of this event: {@code ok}, {@code fail}, {@code forced}, {@code rolled-back}. */
  public String tone() {
    if (forced()) {
      return "forced";
    }
    return switch (outcome == null ? "" : outcome) {
      case "succeeded", "passed" -> "ok";
      case "rolled-back" -> "rolled-back";
      case "failed" -> "fail";
      default -> "muted";
    };
  }
}
