package dev.datahub.maven;

import dev.datahub.status.HubStatus;
import dev.datahub.status.HubStatusReader;
import dev.datahub.status.ReactorCollector;
import dev.datahub.status.StatusReport;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Per environment: release revision and state, image digest, chart, last deploy and smoke result; prod vs staging.
 * The hub that finishes last writes one table for every hub of the reactor, {@code status.md} and the page
 * {@code status.html} into the reactor root's {@code target/datahub/} (appended to {@code $GITHUB_STEP_SUMMARY}).
 */
@Mojo(name = "status", requiresProject = true, threadSafe = true)
public class StatusMojo extends AbstractReleaseMojo {

  @Override
  protected void runRelease() {
    HubStatus status = new HubStatusReader(redactor, log()).read(project.getArtifactId(), this::hubRelease,
        outputDirectory());
    writeResult("status.json", status);
    ReactorScope reactor = ReactorScope.of(session, project);
    String summary = environmentVariables.apply("GITHUB_STEP_SUMMARY");
    ReactorCollector.offer(reactor.build(), "status", reactor.hubs(), project.getArtifactId(), status)
        .ifPresent(all -> new StatusReport(redactor, Instant.now().toString(), log().wording()).write(all, reactor.outputDirectory(),
            summary == null || summary.isBlank() ? null : Path.of(summary), log()));
  }

  @Override
  protected String goalName() {
    return "status";
  }
}
