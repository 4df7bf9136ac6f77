package dev.datahub.python;

import dev.datahub.image.ImageLayer.ImageFile;
import java.util.List;

/**
 * One locked package installed into its staging directory: the files it puts in the image (sorted
 * by path) and the whiteouts that hide a replaced base-image version.
 *
 * @param wheel the wheel file name that was installed
 * @param sha256 the wheel's hash (one of the lock's)
 * @param files installed files, sorted by path in image
 * @param whiteouts {@code .wh.*} entries hiding the base image's old version, sorted
 * @param replaced the base image's version that this replaces, or null
 */
public record InstalledPackage(
    String name, String version, String wheel, String sha256, List<ImageFile> files, List<ImageFile> whiteouts,
    String replaced) {

  public InstalledPackage {
    files = List.copyOf(files);
    whiteouts = List.copyOf(whiteouts);
  }

  public String normalizedName() {
    return PackageName.normalize(name);
  }

  /** Whiteouts first, then files: an applier that processes entries in order never deletes what this layer adds. */
  public List<ImageFile> layerFiles() {
    return java.util.stream.Stream.concat(whiteouts.stream(), files.stream()).toList();
  }

  InstalledPackage withWhiteouts(List<ImageFile> w, String replacedVersion) {
    return new InstalledPackage(name, version, wheel, sha256, files, w, replacedVersion);
  }
}
