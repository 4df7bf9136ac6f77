package dev.datahub.python;

import java.net.URI;
import java.nio.file.Path;

/**
 * A distribution file offered by an index page or a find-links directory.
 *
 * @param fileName the file's name, e.g. {@code six-1.16.0-py2.py3-none-any.whl}
 * @param url where to download it (null for a local file)
 * @param localFile the file on disk (null for a remote one)
 * @param sha256 the hash the source advertises (lower-case hex), or null when it gives none
 * @param source a description of where it was listed, for messages
 */
public record IndexFile(String fileName, URI url, Path localFile, String sha256, String source) {

  public boolean isWheel() {
    return fileName.endsWith(".whl");
  }

  /** True for a source distribution of {@code name} (normalized) at {@code version}. */
  public boolean isSdistOf(String normalizedName, Pep440Version version) {
    String base;
    if (fileName.endsWith(".tar.gz")) {
      base = fileName.substring(0, fileName.length() - 7);
    } else if (fileName.endsWith(".zip") || fileName.endsWith(".tgz") || fileName.endsWith(".tar")) {
      base = fileName.substring(0, fileName.lastIndexOf('.'));
    } else if (fileName.endsWith(".tar.bz2")) {
      base = fileName.substring(0, fileName.length() - 8);
    } else {
      return false;
    }
    // The version is after the last '-' that leaves a valid name prefix (names may contain '-').
    for (int i = base.lastIndexOf('-'); i > 0; i = base.lastIndexOf('-', i - 1)) {
      if (PackageName.normalize(base.substring(0, i)).equals(normalizedName)) {
        return Pep440Version.tryParse(base.substring(i + 1)).map(version::equals).orElse(false);
      }
    }
    return false;
  }
}
