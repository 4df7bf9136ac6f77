package dev.datahub.status;

import java.util.List;

/**
 * One environment of one hub as {@code status} sees it: the live Helm release, the record it runs, the last smoke test,
 * drift, and the records as a timeline (newest first). Holds digests only, never values.
 *
 * @param unavailable why the environment could not be read (not configured, unreachable), null when it was read
 * @param helmStatus the latest Helm revision's status ({@code deployed}, {@code failed}, {@code pending-upgrade}, …) or
 *     {@code not installed}
 * @param lastResult the latest record's kind and result, e.g. {@code promote failed}
 * @param lastSmoke the newest smoke verdict in the records ({@code passed}, {@code failed}), null when none has one
 * @param smokeReport the smoke-test report of this environment left by this build beside the hub (a file), or null
 * @param drift why the live release is not what the latest succeeded record deployed; empty when it is
 */
public record EnvironmentState(
    String environment,
    String namespace,
    String release,
    String unavailable,
    Integer revision,
    String helmStatus,
    String imageDigest,
    String chart,
    String lastRecord,
    String lastResult,
    boolean lastForced,
    String lastSmoke,
    String lastSmokeTime,
    String lastSmokeSummary,
    String smokeReport,
    List<String> drift,
    List<TimelineEvent> timeline) {

  public EnvironmentState {
    drift = drift == null ? List.of() : List.copyOf(drift);
    timeline = timeline == null ? List.of() : List.copyOf(timeline);
  }

  public static EnvironmentState unavailable(String environment, String why) {
    return new EnvironmentState(environment, null, null, why, null, null, null, null, null, null, false, null, null,
        null, null, List.of(), List.of());
  }

  public boolean stuck() {
    return helmStatus != null && helmStatus.startsWith("pending-");
  }

  public boolean installed() {
    return revision != null;
  }

  /**
   * One word for the colour and the table, worst first: {@code unavailable}, {@code stuck}, {@code failed} (the latest
   * record's change failed), {@code rolled-back}, {@code not-installed}, {@code smoke-failed}, {@code drift},
   * {@code forced}, {@code untested}, {@code passed}.
   */
  public String state() {
    if (unavailable != null) {
      return "unavailable";
    }
    if (stuck()) {
      return "stuck";
    }
    if (lastResult != null && lastResult.endsWith(" failed")) {
      return "failed";
    }
    if (lastResult != null && (lastResult.endsWith("rolled-back") || lastResult.startsWith("rollback"))) {
      return "rolled-back";
    }
    if (!installed()) {
      return "not-installed";
    }
    if ("failed".equals(lastSmoke)) {
      return "smoke-failed";
    }
    if (!drift.isEmpty()) {
      return "drift";
    }
    if (lastForced) {
      return "forced";
    }
    return "passed".equals(lastSmoke) ? "passed" : "untested";
  }

  /** The colour class of {@link #state()}. */
  public String tone() {
    return switch (state()) {
      case "passed" -> "ok";
      case "stuck" -> "stuck";
      case "failed", "smoke-failed" -> "fail";
      case "rolled-back" -> "rolled-back";
      case "forced" -> "forced";
      case "drift", "untested" -> "warn";
      default -> "muted";
    };
  }
}
