package dev.datahub.python;

import java.util.List;

/** Where distribution files are listed: a simple index over HTTP or a local find-links directory. */
public interface PackageSource {

  /** Every file the source lists for the project (any version); empty when it does not know the project. */
  List<IndexFile> files(String normalizedName);

  /** For messages, e.g. {@code index https://pypi.org/simple/}. */
  String describe();
}
