package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.output.ResultFiles;
import dev.datahub.release.ComposedValues;
import dev.datahub.release.EnvironmentSpec;
import dev.datahub.release.HubRelease;
import dev.datahub.release.ImageRef;
import dev.datahub.release.PlanDiff;
import dev.datahub.release.ReleasePlan;
import dev.datahub.release.ReleasePlanner;
import dev.datahub.release.ValuesComposer;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows what a deploy would change. By default (e.g. {@code mvn verify} on a pull request) it renders the chart's full
 * manifest offline with the composed values, as {@code helm template} does, and writes it (secrets masked) to
 * {@code target/datahub/release/<env>-manifest.yaml}; with {@code -Ddatahub.plan.cluster=true} it also compares it,
 * resource by resource and field by field, with the live release.
 */
@Mojo(name = "plan", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class PlanMojo extends AbstractReleaseMojo {

  @Parameter(property = "datahub.environment", defaultValue = "staging")
  private String environment;

  /** Compare with the live release in the environment's cluster. */
  @Parameter(property = "datahub.plan.cluster", defaultValue = "false")
  private boolean cluster;

  /**
   * The image to compare the planned one with (package diff, {@code target/datahub/diff.json}); default: the
   * image's repository tagged {@code datahub-<environment>}, which deploy-staging and promote move. With
   * {@code -Ddatahub.plan.cluster=true} and no value here, the environment's deployment record is used instead.
   */
  @Parameter(property = "datahub.plan.against")
  private String against;

  @Parameter(property = "datahub.plan.skip", defaultValue = "false")
  private boolean skipPlan;

  @Override
  protected void runRelease() {
    EnvironmentSpec env = environment(environment);
    ImageRef planned = plannedImage();
    ComposedValues composed = new ValuesComposer(redactor).compose(commonValues(), env, planned,
        outputDirectory().resolve("release"));
    HubRelease live = cluster ? hubRelease(environment) : null;
    ReleasePlan plan = new ReleasePlanner(redactor, log().wording()).plan(env, chartSource(), composed, planned, live);
    plan.lines(log().wording()).forEach(log()::info);
    writeResult(environment + "-plan.json", plan);
    PlanDiff.write(outputDirectory(), new PlanDiff.Against(environment, against, live, deployedTag()),
        planned != null ? planned : PlanDiff.builtImage(outputDirectory()).orElse(null), chartSource(), composed, log());
    Path manifest = outputDirectory().resolve("release").resolve(environment + "-manifest.yaml");
    ResultFiles.writeText(manifest, plan.manifest());
    log().info("  manifest (secrets masked): " + project.getBasedir().toPath().toAbsolutePath()
        .relativize(manifest.toAbsolutePath()));
  }

  private ImageRef plannedImage() {
    if (imageReference != null && !imageReference.isBlank()) {
      return ImageRef.parse(imageReference);
    }
    try {
      return imageRef();
    } catch (DataHubException e) {
      log().info("No image to plan with (" + e.message(MavenWording.INSTANCE) + "); planning chart and values only");
      return null;
    }
  }

  @Override
  protected String goalName() {
    return "plan";
  }

  @Override
  protected boolean skipGoal() {
    return skipPlan;
  }
}
