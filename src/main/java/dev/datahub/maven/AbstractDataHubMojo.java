package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import java.nio.file.Path;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The shared steps of every goal: skip check, a redacting log, settings.xml credentials, and the
 * translation of core failures into one-line build failures. Each goal only calls one service.
 */
public abstract class AbstractDataHubMojo extends AbstractMojo {

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

  /** Skips every datahub goal. */
  @Parameter(property = "datahub.skip", defaultValue = "false")
  protected boolean skip;

  @Parameter(defaultValue = "${plugin}", readonly = true)
  PluginDescriptor plugin;

  @Component
  protected SettingsDecrypter settingsDecrypter;

  protected final Redactor redactor = new Redactor();

  private StepLog stepLog;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip || skipGoal()) {
      getLog().info("Skipping " + goalName() + " (skip flag set)");
      return;
    }
    if (isAggregator()) {
      // `mvn datahub:plan` at the root of a multi-hub repository reaches the parent too; the hubs are its modules.
      getLog().info("Skipping " + goalName() + " on " + project.getArtifactId() + ": a pom with modules is an aggregator,"
          + " not a hub (the hubs are its modules)");
      return;
    }
    try {
      run();
    } catch (DataHubException e) {
      // The core's message already says what to change (its fixes in Maven's words); a stack trace would only hide it.
      throw new MojoFailureException(redactor.redact(e.message(MavenWording.INSTANCE)));
    } catch (RuntimeException e) {
      throw new MojoExecutionException(redactor.redact(goalName() + " failed unexpectedly: " + e), e);
    }
  }

  private boolean isAggregator() {
    return project != null && "pom".equals(project.getPackaging()) && !project.getModules().isEmpty();
  }

  /** The goal's work; core exceptions propagate and are translated by {@link #execute()}. */
  protected abstract void run() throws MojoExecutionException, MojoFailureException;

  /** The goal name for messages, e.g. {@code build-image}. */
  protected abstract String goalName();

  /** The goal's own skip flag ({@code datahub.<goal>.skip}). */
  protected boolean skipGoal() {
    return false;
  }

  protected StepLog log() {
    if (stepLog == null) {
      stepLog = redactor.wrap(new MavenStepLog(getLog()));
    }
    return stepLog;
  }

  protected SettingsCredentials credentials() {
    return new SettingsCredentials(session == null ? null : session.getSettings(), settingsDecrypter, redactor);
  }

  /** This plugin's version, recorded in what the goals make ({@code dev} outside a Maven run). */
  protected String toolVersion() {
    return plugin == null ? "dev" : plugin.getVersion();
  }

  /** {@code target/datahub}, where goals leave results for the next goal and for CI. */
  protected Path outputDirectory() {
    return Path.of(project.getBuild().getDirectory(), "datahub");
  }

}
