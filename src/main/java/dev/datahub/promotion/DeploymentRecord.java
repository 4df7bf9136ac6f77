package dev.datahub.promotion;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What was deployed to an environment, kept in the namespace so that the next goal (smoke test, promote, status)
 * can read it. Holds hashes of the values, never the values.
 *
 * @param id the record's ConfigMap name
 * @param kind {@code deploy}, {@code promote}, {@code rollback} or {@code recover}
 * @param result {@code succeeded}, {@code failed} or {@code rolled-back}
 * @param promotedFrom for prod records: the staging record id this came from
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeploymentRecord(
    String id,
    String environment,
    String kind,
    String release,
    int revision,
    String image,
    String imageDigest,
    String chartName,
    String chartVersion,
    String chartDigest,
    String valuesHash,
    String secretValuesHash,
    String sourceCommit,
    String time,
    String result,
    String failure,
    SmokeOutcome smoke,
    String promotedFrom,
    boolean forced,
    String forceReason) {

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String ROLLED_BACK = "rolled-back";

  public DeploymentRecord withSmoke(SmokeOutcome outcome) {
    return new DeploymentRecord(id, environment, kind, release, revision, image, imageDigest, chartName, chartVersion,
        chartDigest, valuesHash, secretValuesHash, sourceCommit, time, result, failure, outcome, promotedFrom, forced,
        forceReason);
  }

  public DeploymentRecord withId(String newId) {
    return new DeploymentRecord(newId, environment, kind, release, revision, image, imageDigest, chartName,
        chartVersion, chartDigest, valuesHash, secretValuesHash, sourceCommit, time, result, failure, smoke,
        promotedFrom, forced, forceReason);
  }

  /** The smoke test's verdict on this deployment. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SmokeOutcome(String status, String imageDigest, String summary, String time) {
    public boolean passed() {
      return "passed".equals(status);
    }
  }
}
