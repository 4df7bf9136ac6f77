package dev.datahub.python;

import java.util.List;

/**
 * A distribution already installed in the base image's site-packages, as its {@code .dist-info}
 * tells (name and version from {@code METADATA}, files from {@code RECORD}) or its {@code .egg-info}
 * (how Debian's python3 packages and setuptools' legacy installs record themselves: {@code PKG-INFO}
 * and, when present, {@code installed-files.txt}).
 *
 * @param distInfoPath absolute path of the {@code .dist-info} or {@code .egg-info} directory (or
 *     single {@code .egg-info} file) in the image
 * @param files absolute, normalized paths in the image of every file its RECORD lists (RECORD
 *     paths are relative to site-packages, so scripts show up as e.g. {@code /opt/conda/bin/tool})
 * @param hasRecord false when the dist-info has no RECORD (then its files are unknown)
 */
public record InstalledDistribution(String name, String version, String distInfoPath, List<String> files,
    boolean hasRecord) {

  public InstalledDistribution {
    files = List.copyOf(files);
  }

  public String normalizedName() {
    return PackageName.normalize(name);
  }

  /**
   * Builds a distribution from the text of its {@code METADATA} and {@code RECORD} (null when
   * absent), as read from the image's layers.
   */
  public static InstalledDistribution fromDistInfo(String sitePackages, String distInfoPath, String metadata, String record) {
    WheelMetadata meta = WheelMetadata.parse(metadata == null ? "" : metadata);
    String dirName = distInfoPath.substring(distInfoPath.lastIndexOf('/') + 1);
    String stem = dirName.substring(0, dirName.length() - ".dist-info".length());
    int dash = stem.indexOf('-');
    String name = meta.name() != null ? meta.name() : (dash < 0 ? stem : stem.substring(0, dash));
    String version = meta.version() != null ? meta.version() : (dash < 0 ? "" : stem.substring(dash + 1));
    List<String> files = record == null ? List.of()
        : WheelInstaller.parseRecord(record).keySet().stream().map(p -> resolve(sitePackages, p)).sorted().toList();
    return new InstalledDistribution(name, version, distInfoPath, files, record != null);
  }

  /**
   * Builds a distribution from an {@code .egg-info} directory ({@code pkgInfo} from its
   * {@code PKG-INFO}, {@code installedFiles} from {@code installed-files.txt}: paths relative to the
   * egg-info directory; null when absent) or a single {@code .egg-info} file (its text as {@code
   * pkgInfo}). Name and version come from PKG-INFO, else from the name {@code name-version[-pyX.Y].egg-info}.
   */
  public static InstalledDistribution fromEggInfo(String eggInfoPath, String pkgInfo, String installedFiles) {
    WheelMetadata meta = WheelMetadata.parse(pkgInfo == null ? "" : pkgInfo);
    String fileName = eggInfoPath.substring(eggInfoPath.lastIndexOf('/') + 1);
    String[] parts = fileName.substring(0, fileName.length() - ".egg-info".length()).split("-");
    String name = meta.name() != null ? meta.name() : parts[0].replace('_', '-');
    String version = meta.version() != null ? meta.version() : parts.length > 1 ? parts[1].replace('_', '-') : "";
    List<String> files = installedFiles == null ? List.of()
        : installedFiles.lines().map(String::trim).filter(l -> !l.isEmpty()).map(l -> resolve(eggInfoPath, l))
            .sorted().toList();
    return new InstalledDistribution(name, version, eggInfoPath, files, installedFiles != null);
  }

  /** The site-packages directory this distribution is installed in. */
  public String sitePackages() {
    return distInfoPath.substring(0, distInfoPath.lastIndexOf('/'));
  }

  /** {@code sitePackages + "/" + relative}, with {@code ..} and {@code .} segments folded. */
  static String resolve(String sitePackages, String relative) {
    String joined = relative.startsWith("/") ? relative : sitePackages + "/" + relative;
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
    for (String seg : joined.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(seg);
      }
    }
    return "/" + String.join("/", parts);
  }
}
