package dev.datahub.python;

import java.util.Locale;

/** PEP 503 name normalization: runs of {@code -_.} become one {@code -}, lower case. */
public final class PackageName {

  private PackageName() {}

  public static String normalize(String name) {
    return name.trim().replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
  }

  /** The form used in wheel and dist-info file names: runs of {@code -_.} become {@code _}. */
  public static String wheelForm(String name) {
    return name.trim().replaceAll("[-_.]+", "_");
  }
}
