package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.promotion.Promotion;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.ImageRef;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Puts what staging tested on prod: refuses unless staging's latest (signed) record passed its smoke test for the same
 * image digest, chart content and common values, and Helm's storage shows staging still runs it; then deploys prod,
 * smoke-tests it at prod's own hub URL, and returns it to its previous good revision when that test fails.
 */
@Mojo(name = "promote", threadSafe = true)
public class PromoteMojo extends AbstractReleaseMojo {

  /**
   * Bypass the gate; needs datahub.promote.reason. Works when staging is down or has no record (the image then comes
   * from -Ddatahub.image or image.json). Who, when, why and the gate's refusals are recorded in prod's record.
   */
  @Parameter(property = "datahub.promote.force", defaultValue = "false")
  boolean force;

  /** Why the gate is bypassed; required with datahub.promote.force. */
  @Parameter(property = "datahub.promote.reason")
  String reason;

  /**
   * When prod's smoke test fails after the deploy, return prod to its previous good revision. The failure is recorded
   * in prod's record either way.
   */
  @Parameter(property = "datahub.promote.rollbackOnFailure", defaultValue = "true")
  boolean rollbackOnFailure = true;

  @Override
  protected void runRelease() {
    DeploymentRecord record = new Promotion(hubRelease("staging"), hubRelease("prod"), smokeRunner(), log())
        .rollbackOnFailure(rollbackOnFailure)
        .promote(new Promotion.Request(chartSource(), commonValues(), sourceCommit(), force, reason, recover,
            force ? buildImage() : null));
    writeResult("prod-record.json", record);
    deployedTag().moveOrWarn(record.image(), "prod", log());
  }

  /** For a forced promotion without a staging record: the image of this build, if there is one. */
  private ImageRef buildImage() {
    try {
      return imageRef();
    } catch (DataHubException e) {
      return null;
    }
  }

  @Override
  protected String goalName() {
    return "promote";
  }
}
