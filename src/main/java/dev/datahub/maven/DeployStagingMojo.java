package dev.datahub.maven;

import dev.datahub.promotion.DeploymentRecord;
import dev.datahub.release.HubRelease;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Deploys the built image (by digest) to staging with Helm, waits for the rollout, and records the deployment. */
@Mojo(name = "deploy-staging", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class DeployStagingMojo extends AbstractReleaseMojo {

  @Parameter(property = "datahub.deploy-staging.skip", defaultValue = "false")
  private boolean skipDeployStaging;

  @Override
  protected void runRelease() {
    HubRelease staging = hubRelease("staging");
    DeploymentRecord record = staging.deploy(new HubRelease.DeployRequest(chartSource(), commonValues(), imageRef(),
        sourceCommit(), "deploy", null, false, null, recover));
    writeResult("staging-record.json", record);
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
