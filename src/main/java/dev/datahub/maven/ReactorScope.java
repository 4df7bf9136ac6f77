package dev.datahub.maven;

import java.nio.file.Path;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;

/**
 * The build a hub runs in, for reactor-wide reports: the hubs of the reactor (every project but aggregators, in reactor
 * order), an object all of them share, and the {@code target/datahub} of the project Maven was started in.
 */
record ReactorScope(Object build, List<String> hubs, Path outputDirectory) {

  static ReactorScope of(MavenSession session, MavenProject project) {
    if (session == null || session.getProjects() == null || session.getProjects().isEmpty()) {
      return new ReactorScope(project, List.of(project.getArtifactId()), datahub(project));
    }
    List<String> hubs = session.getProjects().stream().filter(p -> !aggregator(p)).map(MavenProject::getArtifactId)
        .toList();
    // -T clones the session per module; the execution request is shared by all of them
    return new ReactorScope(session.getRequest() != null ? session.getRequest() : session.getProjects(), hubs,
        rootOutput(session, project));
  }

  /** The root's target/datahub; with {@code -pl} the directory Maven was started in, whose pom is not built. */
  private static Path rootOutput(MavenSession session, MavenProject project) {
    MavenProject top = session.getTopLevelProject();
    if (top != null && top.isExecutionRoot()) {
      return datahub(top);
    }
    String started = session.getRequest() == null ? null : session.getExecutionRootDirectory();
    return started != null ? Path.of(started, "target", "datahub") : datahub(top != null ? top : project);
  }

  static boolean aggregator(MavenProject p) {
    return "pom".equals(p.getPackaging()) && !p.getModules().isEmpty();
  }

  private static Path datahub(MavenProject p) {
    return Path.of(p.getBuild().getDirectory(), "datahub");
  }
}
