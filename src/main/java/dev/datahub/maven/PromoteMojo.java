package dev.datahub.maven;

import dev.datahub.promotion.DeploymentRecord;
import dev.datahub.promotion.Promotion;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Puts what staging tested on prod: refuses unless staging's latest record passed its smoke test for the same image
 * digest and chart and staging has not drifted; then deploys prod and smoke-tests it when configured.
 */
@Mojo(name = "promote", threadSafe = true)
public class PromoteMojo extends AbstractReleaseMojo {

  /** Bypass the gate; needs datahub.promote.reason. Both are recorded in prod's record. */
  @Parameter(property = "datahub.promote.force", defaultValue = "false")
  private boolean force;

  @Parameter(property = "datahub.promote.reason")
  private String reason;

  @Override
  protected void runRelease() {
    DeploymentRecord record = new Promotion(hubRelease("staging"), hubRelease("prod"), smokeRunner(), log())
        .promote(chartSource(), commonValues(), sourceCommit(), force, reason, recover);
    writeResult("prod-record.json", record);
  }

  @Override
  protected String goalName() {
    return "promote";
  }
}
