package dev.datahub.maven;

import dev.datahub.release.DeploymentRecord;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Returns an environment to its previous good Helm revision (or -Ddatahub.revision=N) and records it. */
@Mojo(name = "rollback", threadSafe = true)
public class RollbackMojo extends AbstractReleaseMojo {

  @Parameter(property = "datahub.environment", defaultValue = "staging")
  private String environment;

  @Parameter(property = "datahub.revision")
  private Integer revision;

  @Override
  protected void runRelease() {
    DeploymentRecord record = hubRelease(environment).rollback(revision, sourceCommit(), recover);
    writeResult(environment + "-record.json", record);
  }

  @Override
  protected String goalName() {
    return "rollback";
  }
}
