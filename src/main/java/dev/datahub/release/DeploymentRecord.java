package dev.datahub.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * What was deployed to an environment, kept in the namespace so that the next goal (smoke test, promote, status, plan)
 * can read it. Holds digests and keyed fingerprints of the values, and the paths of secret values — never values.
 * Signed with the namespace's {@link RecordKey} ({@link DeploymentRecords} writes and verifies the signature).
 *
 * @param id the record's ConfigMap name, assigned by the API server ({@code generateName})
 * @param sequence the record's place in its environment's history (1, 2, …), taken under the deploy lock from the
 *     records in the namespace — never from a clock
 * @param liveValuesHmac HMAC of the values Helm stored for {@link #revision} (read back from Helm's release Secret after
 *     the deploy): the gate compares it with the live revision, so a record cannot vouch for values Helm does not run
 * @param time the writer's clock, shown only (order comes from {@link #sequence})
 * @param promotedFrom for prod records: the staging record id this came from
 * @param forced for a forced promotion: who, when, why and what the gate said; null otherwise
 * @param signature HMAC of every other field but {@link #id}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeploymentRecord(
    String id,
    long sequence,
    String environment,
    Kind kind,
    String release,
    int revision,
    ReleaseBundle bundle,
    String liveValuesHmac,
    String time,
    Result result,
    String failure,
    SmokeOutcome smoke,
    String promotedFrom,
    Forced forced,
    String signature) {

  /** What wrote the record. */
  public enum Kind {
    DEPLOY("deploy"), PROMOTE("promote"), ROLLBACK("rollback"), RECOVER("recover");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    @JsonValue
    public String text() {
      return text;
    }
  }

  /** How the Helm change ended. */
  public enum Result {
    SUCCEEDED("succeeded"), FAILED("failed"), ROLLED_BACK("rolled-back");

    private final String text;

    Result(String text) {
      this.text = text;
    }

    @JsonValue
    public String text() {
      return text;
    }
  }

  /** The smoke test's verdict. */
  public enum SmokeStatus {
    PASSED("passed"), FAILED("failed");

    private final String text;

    SmokeStatus(String text) {
      this.text = text;
    }

    @JsonValue
    public String text() {
      return text;
    }
  }

  public String image() {
    return bundle == null ? null : bundle.image();
  }

  public String imageDigest() {
    return bundle == null ? null : bundle.imageDigest();
  }

  public String chartName() {
    return bundle == null ? null : bundle.chartName();
  }

  public String chartVersion() {
    return bundle == null ? null : bundle.chartVersion();
  }

  public String sourceCommit() {
    return bundle == null ? null : bundle.sourceCommit();
  }

  public boolean succeeded() {
    return result == Result.SUCCEEDED;
  }

  public DeploymentRecord withSmoke(SmokeOutcome outcome) {
    return new DeploymentRecord(id, sequence, environment, kind, release, revision, bundle, liveValuesHmac, time,
        result, failure, outcome, promotedFrom, forced, signature);
  }

  public DeploymentRecord withResult(Result newResult, String newFailure) {
    return new DeploymentRecord(id, sequence, environment, kind, release, revision, bundle, liveValuesHmac, time,
        newResult, newFailure, smoke, promotedFrom, forced, signature);
  }

  DeploymentRecord withId(String newId) {
    return new DeploymentRecord(newId, sequence, environment, kind, release, revision, bundle, liveValuesHmac, time,
        result, failure, smoke, promotedFrom, forced, signature);
  }

  DeploymentRecord withSequence(long newSequence) {
    return new DeploymentRecord(id, newSequence, environment, kind, release, revision, bundle, liveValuesHmac, time,
        result, failure, smoke, promotedFrom, forced, signature);
  }

  DeploymentRecord withSignature(String newSignature) {
    return new DeploymentRecord(id, sequence, environment, kind, release, revision, bundle, liveValuesHmac, time,
        result, failure, smoke, promotedFrom, forced, newSignature);
  }

  /**
   * The smoke test's verdict on this deployment.
   *
   * @param imageDigest the image the test observed in the single-user server
   * @param hubUrl the hub the test ran against
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SmokeOutcome(SmokeStatus status, String imageDigest, String hubUrl, String summary, String time) {
    public boolean passed() {
      return status == SmokeStatus.PASSED;
    }
  }

  /**
   * A promotion that bypassed the gate.
   *
   * @param by {@code user@host} of the run
   * @param time the run's clock
   * @param overrode every refusal of the gate (or why staging could not be read)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Forced(String by, String time, String reason, List<String> overrode) {}
}
