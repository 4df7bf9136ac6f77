package dev.datahub.image;

import java.nio.file.Path;

/**
 * A directory or single file of the project placed at a path in the image, as one layer.
 *
 * @param source file or directory, relative to the project directory or absolute
 * @param target absolute path in the image (for a directory: the directory its contents go to)
 * @param fileMode octal permission string for files, 3 or 4 digits (e.g. {@code 644}); null keeps the
 *     source's executable bit (0755 if executable, else 0644) so a repository checkout gives stable modes
 * @param directoryMode octal permission string for the target directory and the directories under it,
 *     3 or 4 digits ({@code 2775} keeps setgid); null means {@code 755}. Directories above the target
 *     keep the base image's owner and mode (root:root 0755 where the base has none)
 * @param owner {@code uid:gid} of the files and directories from the source; null means {@code 0:0}
 */
public record ContentMapping(Path source, String target, String fileMode, String directoryMode, String owner) {

  /** The layer name shown in progress lines and used in the input hash. */
  public String layerName() {
    return source.toString().replace('\\', '/') + " -> " + target;
  }
}
