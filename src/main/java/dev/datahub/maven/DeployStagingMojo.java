package dev.datahub.maven;

import dev.datahub.release.DeploySummary;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.HubRelease;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Deploys the built image (by digest) to staging with Helm, waits for the rollout, and records the deployment —
 * unless staging already runs the same image, chart and values (no drift): then it says so and deploys nothing.
 * Writes {@code target/datahub/release/staging-record.json} (the record staging runs) and
 * {@code staging-deploy.json} (deployed|skipped and why, for a reactor summary).
 */
@Mojo(name = "deploy-staging", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class DeployStagingMojo extends AbstractReleaseMojo {

  @Parameter(property = "datahub.deploy-staging.skip", defaultValue = "false")
  private boolean skipDeployStaging;

  /** Deploy even when staging already runs the same image, chart and values. */
  @Parameter(property = "datahub.deploy.force", defaultValue = "false")
  boolean force;

  @Override
  protected void runRelease() {
    deployOutcomes().clear("staging");
    HubRelease staging = hubRelease("staging");
    HubRelease.DeployResult result = staging.deployIfChanged(new HubRelease.DeployRequest(chartSource(),
        commonValues(), imageRef(), sourceCommit(), DeploymentRecord.Kind.DEPLOY, null, null, recover), force);
    writeResult("staging-record.json", result.record());
    deployedTag().moveOrWarn(result.record().image(), "staging", log());
    deployOutcomes().put(DeploySummary.of(project.getArtifactId(), staging.environment(), result));
  }

  @Override
  protected String goalName() {
    return "deploy-staging";
  }

  @Override
  protected boolean skipGoal() {
    return skipDeployStaging;
  }
}
