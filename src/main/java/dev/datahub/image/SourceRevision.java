package dev.datahub.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The git commit of a working tree, read from {@code .git} without running git (CI images do not
 * always have it). Handles worktrees ({@code .git} file) and packed refs.
 */
public final class SourceRevision {

  private SourceRevision() {}

  public static Optional<String> of(Path directory) {
    try {
      for (Path dir = directory.toAbsolutePath(); dir != null; dir = dir.getParent()) {
        Path git = dir.resolve(".git");
        if (Files.isDirectory(git)) {
          return fromGitDir(git, git);
        }
        if (Files.isRegularFile(git)) {
          String pointer = Files.readString(git).trim();
          if (pointer.startsWith("gitdir:")) {
            Path gitDir = dir.resolve(pointer.substring(7).trim()).normalize();
            Path commonFile = gitDir.resolve("commondir");
            Path common = Files.exists(commonFile) ? gitDir.resolve(Files.readString(commonFile).trim()).normalize() : gitDir;
            return fromGitDir(gitDir, common);
          }
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<String> fromGitDir(Path gitDir, Path commonDir) throws IOException {
    String head = Files.readString(gitDir.resolve("HEAD")).trim();
    if (!head.startsWith("ref:")) {
      return Optional.of(head);
    }
    String ref = head.substring(4).trim();
    for (Path base : new Path[] {gitDir, commonDir}) {
      Path loose = base.resolve(ref);
      if (Files.isRegularFile(loose)) {
        return Optional.of(Files.readString(loose).trim());
      }
    }
    Path packed = commonDir.resolve("packed-refs");
    if (Files.isRegularFile(packed)) {
      for (String line : Files.readAllLines(packed)) {
        if (line.endsWith(" " + ref)) {
          return Optional.of(line.substring(0, line.indexOf(' ')));
        }
      }
    }
    return Optional.empty();
  }
}
