package dev.datahub.maven;

import dev.datahub.image.BuiltImage;
import dev.datahub.image.ImageSpec;
import dev.datahub.image.RegistryCredential;
import dev.datahub.maven.ImageConfig.Overrides;
import dev.datahub.python.ImageWithPackages;
import dev.datahub.python.PythonSpec;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds the single-user image with Jib (no Docker daemon) and pushes it, or writes
 * {@code target/datahub/image.tar} when no {@code <to>} is set. Writes {@code target/datahub/image.json}.
 */
@Mojo(name = "build-image", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildImageMojo extends AbstractDataHubMojo {

  /** The image to build; see README for every field. */
  @Parameter
  ImageConfig image = new ImageConfig();

  /** Overrides {@code <image><from>}. */
  @Parameter(property = Overrides.FROM)
  String from;

  /** Overrides {@code <image><to>}. */
  @Parameter(property = Overrides.TO)
  String to;

  /** Extra tags, comma-separated; added to {@code <image><tags>}. */
  @Parameter(property = Overrides.TAGS)
  String tags;

  /** {@code false} writes a tarball even when {@code <to>} is set. */
  @Parameter(property = "datahub.image.push", defaultValue = "true")
  boolean push;

  /** Build and push even when the content-hash tag already exists. */
  @Parameter(property = "datahub.image.force", defaultValue = "false")
  boolean force;

  /** Comma-separated registry hosts allowed over plain HTTP; added to {@code <image><allowInsecureRegistries>}. */
  @Parameter(property = Overrides.ALLOW_INSECURE_REGISTRIES)
  String allowInsecureRegistries;

  /** Overrides {@code <image><format>}: Docker or OCI. */
  @Parameter(property = Overrides.FORMAT)
  String format;

  /** Jib's layer caches (base/ and application/). */
  @Parameter(property = "datahub.image.cacheDirectory", defaultValue = "${user.home}/.cache/datahub/jib")
  String cacheDirectory;

  /** Skips this goal. */
  @Parameter(property = "datahub.build-image.skip", defaultValue = "false")
  boolean skipBuildImage;

  @Override
  protected String goalName() {
    return "build-image";
  }

  @Override
  protected boolean skipGoal() {
    return skipBuildImage;
  }

  @Override
  protected void run() {
    RegistryCredential.Lookup credentials = credentials().registries();
    PythonSpec python = image.pythonSpec(project.getBasedir().toPath(), outputDirectory());
    BuiltImage built = new ImageWithPackages(credentials, log()).build(spec(), python);
    if (!built.pushed()) {
      log().info("No <to> registry set (or -Ddatahub.image.push=false): the image is in " + built.tarball());
    }
  }

  ImageSpec spec() {
    return image.toSpec(new Overrides(from, to, tags, format, allowInsecureRegistries, push, force),
        project, outputDirectory(), Path.of(cacheDirectory), toolVersion());
  }
}
