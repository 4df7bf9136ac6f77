package dev.datahub.maven;

import dev.datahub.output.ResultFiles;
import dev.datahub.release.DeploySummary;
import java.nio.file.Path;
import org.apache.maven.project.MavenProject;

/**
 * This build's deploy outcome per environment: deploy-staging puts it, smoke-test completes it with the smoke result.
 * It travels in the project's context because only a deploy of this very build counts — a {@code <env>-deploy.json}
 * left by an earlier build must never let smoke-test skip — and is written to {@code <env>-deploy.json} for CI.
 */
final class DeployOutcomes {

  private static final String KEY = "datahub.deploy.outcome.";

  private final MavenProject project;
  private final Path releaseDirectory;

  DeployOutcomes(MavenProject project, Path releaseDirectory) {
    this.project = project;
    this.releaseDirectory = releaseDirectory;
  }

  /** What deploy-staging did to {@code environment} in this build; null when it did not run. */
  DeploySummary ofThisBuild(String environment) {
    return (DeploySummary) project.getContextValue(KEY + environment);
  }

  /** Before a deploy: a stale "skipped" must not outlive a failed deploy. */
  void clear(String environment) {
    ResultFiles.delete(releaseDirectory.resolve(DeploySummary.fileName(environment)));
  }

  void put(DeploySummary summary) {
    ResultFiles.writeJson(releaseDirectory.resolve(DeploySummary.fileName(summary.environment())), summary);
    project.setContextValue(KEY + summary.environment(), summary);
  }
}
