package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.release.ChartSource;
import java.io.File;

/**
 * {@code <chart>}: exactly one of {@code <directory>}, {@code <repository>} + {@code <name>} + {@code <version>}, or
 * {@code <oci>} + {@code <version>}.
 */
public class ChartConfig {

  /** A local chart directory. */
  File directory;

  /** A chart repository URL (with name and version). */
  String repository;

  /** The chart name in the repository. */
  String name;

  /** The chart version (required for repository and OCI charts). */
  String version;

  /** An {@code oci://registry/path/chart} reference (with version). */
  String oci;

  /**
   * The chart archive's digest, {@code sha256:<64 hex>}: a repository archive must match it; required when the
   * repository's index.yaml lists no digest for the version.
   */
  String digest;

  ChartSource toSource() {
    int set = (directory != null ? 1 : 0) + (repository != null ? 1 : 0) + (oci != null ? 1 : 0);
    if (set != 1) {
      throw new DataHubException("<chart> needs exactly one of <directory>, <repository> (+ <name>, <version>) or <oci> "
          + "(+ <version>) — fix the plugin configuration");
    }
    if (directory != null) {
      if (digest != null) {
        throw new DataHubException("<chart><digest> pins a repository or OCI archive; a local <directory> is hashed "
            + "file by file — remove <digest>");
      }
      return ChartSource.local(directory.toPath());
    }
    if (repository != null) {
      return ChartSource.repository(repository, name, version).pinned(digest);
    }
    if (!oci.startsWith("oci://")) {
      throw new DataHubException("<oci> must start with oci:// (got " + oci + ") — fix <chart><oci>");
    }
    return ChartSource.oci(oci, version).pinned(digest);
  }
}
