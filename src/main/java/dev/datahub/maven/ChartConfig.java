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

  ChartSource toSource() {
    int set = (directory != null ? 1 : 0) + (repository != null ? 1 : 0) + (oci != null ? 1 : 0);
    if (set != 1) {
      throw new DataHubException("<chart> needs exactly one of <directory>, <repository> (+ <name>, <version>) or <oci> "
          + "(+ <version>) — fix the plugin configuration");
    }
    if (directory != null) {
      return ChartSource.local(directory.toPath());
    }
    if (repository != null) {
      return ChartSource.repository(repository, name, version);
    }
    if (!oci.startsWith("oci://")) {
      throw new DataHubException("<oci> must start with oci:// (got " + oci + ") — fix <chart><oci>");
    }
    return ChartSource.oci(oci, version);
  }
}
