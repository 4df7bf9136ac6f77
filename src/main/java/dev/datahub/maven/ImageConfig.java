package dev.datahub.maven;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code <image>} block of the pom. Plain fields: Maven fills them; the mojo converts them to an ImageSpec. */
public class ImageConfig {

  /** Base image, e.g. {@code quay.io/jupyter/base-notebook@sha256:…}; {@code scratch} for none. */
  String from;

  /** Target repository (optionally {@code :tag}); unset: a tarball is written instead of a push. */
  String to;

  /** Extra tags besides the content-hash tag. */
  List<String> tags = new ArrayList<>();

  /** {@code Docker} (default) or {@code OCI}. */
  String format;

  /** Files and directories to add, one layer each, in this order (put what changes least first). */
  List<ContentConfig> content = new ArrayList<>();

  Map<String, String> environment = new LinkedHashMap<>();

  Map<String, String> labels = new LinkedHashMap<>();

  /** Default {@code 1000:100} (jovyan:users in the docker-stacks images). */
  String user;

  String workingDirectory;

  /** Replaces the base's entrypoint (and, as in a Dockerfile, its cmd). */
  List<String> entrypoint;

  List<String> cmd;

  /** Registry hosts ({@code host[:port]}) that may be reached over plain HTTP. */
  List<String> allowInsecureRegistries = new ArrayList<>();

  /** Python packages from a hashed lock file, installed as wheel layers (see docs/python-packages.md). */
  PythonConfig python;

  /** Adds {@code org.opencontainers.image.revision} = the git commit (changes the digest on every commit). */
  boolean labelRevision;

  /** One {@code <mapping>} of {@code <content>}. */
  public static class ContentConfig {
    /** File or directory, relative to the project. */
    String source;
    /** Absolute path in the image. */
    String target;
    /** Octal, e.g. 644; default keeps the source's executable bit. */
    String fileMode;
    /** Octal, default 755. */
    String directoryMode;
    /** {@code uid:gid}, default {@code 0:0}. */
    String owner;
  }
}
