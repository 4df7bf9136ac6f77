package dev.datahub.maven;

import dev.datahub.status.ChangeSummary;
import dev.datahub.status.HubChange;
import dev.datahub.status.ReactorCollector;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The pull-request summary: per hub, whether the image changed and what changes in it ({@code diff.json}), the plan and
 * the image test, read from {@code target/datahub/}; the hub that finishes last writes one Markdown page for the whole
 * reactor to the root's {@code target/datahub/change-summary.md} (appended to {@code $GITHUB_STEP_SUMMARY}).
 */
@Mojo(name = "change-summary", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class ChangeSummaryMojo extends AbstractReleaseMojo {

  @Parameter(property = "datahub.change-summary.skip", defaultValue = "false")
  private boolean skipChangeSummary;

  @Override
  protected void runRelease() {
    HubChange change = HubChange.read(project.getArtifactId(), outputDirectory());
    ReactorScope reactor = ReactorScope.of(session, project);
    String summary = environmentVariables.apply("GITHUB_STEP_SUMMARY");
    ReactorCollector.offer(reactor.build(), "change-summary", reactor.hubs(), project.getArtifactId(), change)
        .ifPresent(all -> new ChangeSummary(redactor).write(all, reactor.outputDirectory(),
            summary == null || summary.isBlank() ? null : Path.of(summary), log()));
  }

  @Override
  protected String goalName() {
    return "change-summary";
  }

  @Override
  protected boolean skipGoal() {
    return skipChangeSummary;
  }

  /** The change summary reads this build's files under target/datahub. */
  @Override
  protected boolean usesHelmOrKubernetes() {
    return false;
  }
}
