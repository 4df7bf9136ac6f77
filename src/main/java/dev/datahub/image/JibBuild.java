package dev.datahub.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.event.events.TimerEvent;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.http.ResponseException;
import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.image.ImageFiles.PlannedLayer;
import dev.datahub.image.ImageLayer.ImageFile;
import dev.datahub.log.StepLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * The Jib build of a planned image: base pinned by its digest, one Jib layer per planned layer, pushed with every tag
 * (or written as a tarball). Jib's failures become {@link DataHubException}s here, and only here, by their types.
 */
final class JibBuild {

  static final Instant FIXED_TIME = FileEntriesLayer.DEFAULT_MODIFICATION_TIME;

  private final RegistryCredential.Lookup credentials;
  private final StepLog log;

  JibBuild(RegistryCredential.Lookup credentials, StepLog log) {
    this.credentials = credentials;
    this.log = log;
  }

  BuiltImage containerize(ImagePlan plan, Registries registries) {
    ImageSpec spec = plan.spec();
    try {
      JibContainerBuilder builder = builder(plan);
      LayerProgress progress = new LayerProgress();
      boolean insecure = registries.jibInsecureMode(plan.base(), plan.target());
      Containerizer containerizer;
      String repository;
      Path tarball = null;
      if (plan.target().isPresent()) {
        ImageReference target = plan.target().get();
        repository = ImagePlan.repository(target);
        ImageReference tagged = target.withQualifier(plan.hashTag());
        containerizer = Containerizer.to(withCredentials(RegistryImage.named(tagged), tagged));
        List<String> tags = plan.tags(target);
        for (String tag : tags.subList(1, tags.size())) {
          containerizer.withAdditionalTag(tag);
        }
      } else {
        repository = spec.to() != null && !spec.to().isBlank() ? ImagePlan.repository(ImageInputs.parse(spec.to(), "to"))
            : SingleUserImage.LOCAL_REPOSITORY;
        Files.createDirectories(spec.outputDirectory());
        tarball = spec.outputDirectory().resolve("image.tar");
        containerizer = Containerizer.to(TarImage.at(tarball).named(repository + ":" + plan.hashTag()));
      }
      containerizer.setToolName("datahub-maven-plugin")
          .setToolVersion(spec.toolVersion())
          .setAllowInsecureRegistries(insecure)
          .setBaseImageLayersCache(spec.cacheDirectory().resolve("base"))
          .setApplicationLayersCache(spec.cacheDirectory().resolve("application"))
          .addEventHandler(LogEvent.class, event -> {
            log.debug("jib: " + event.getMessage());
            progress.onLog(event);
          })
          .addEventHandler(TimerEvent.class, progress::onTimer);

      JibContainer container = insecure ? containerizeWithCredentialsOverHttp(builder, containerizer)
          : builder.containerize(containerizer);
      String digest = container.getDigest().toString();
      if (plan.target().isPresent()) {
        progress.report(plan, registries.get(plan.target().get().getRegistry()), plan.target().get().getRepository(),
            digest, log);
      } else {
        log.info("Wrote " + tarball + " (" + Files.size(tarball) + " bytes); load it with 'docker load -i " + tarball
            + "' or 'podman load -i " + tarball + "'");
      }
      List<String> tags = plan.target().isPresent() ? plan.tags(plan.target().get()) : List.of(plan.hashTag());
      return new BuiltImage(repository, digest, container.getImageId().toString(), tags, plan.hashTag(), spec.from(),
          plan.baseDigest(), plan.inputHash(), plan.target().isPresent(), tarball == null ? null : tarball.toString(), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataHubException("image build interrupted");
    } catch (ExecutionException e) {
      throw translate(plan, e.getCause() == null ? e : e.getCause());
    } catch (RegistryException | IOException | CacheDirectoryCreationException | InvalidImageReferenceException e) {
      throw translate(plan, e);
    }
  }

  private JibContainerBuilder builder(ImagePlan plan) {
    ImageSpec spec = plan.spec();
    JibContainerBuilder builder;
    if (plan.base().isPresent()) {
      ImageReference base = plan.base().get();
      ImageReference pinned = base.getDigest().isPresent() ? base
          : ImageReference.of(base.getRegistry(), base.getRepository(), base.getTag().orElse(null), plan.baseDigest());
      log.info("Pulling base image " + pinned);
      builder = Jib.from(withCredentials(RegistryImage.named(pinned), pinned));
    } else {
      builder = Jib.fromScratch();
    }
    builder.setFormat(spec.format().equalsIgnoreCase("OCI") ? ImageFormat.OCI : ImageFormat.Docker)
        .setCreationTime(Instant.EPOCH)
        .setUser(spec.user());
    spec.environment().forEach(builder::addEnvironmentVariable);
    spec.labels().forEach(builder::addLabel);
    if (spec.workingDirectory() != null && !spec.workingDirectory().isBlank()) {
      builder.setWorkingDirectory(absolute(spec.workingDirectory()));
    }
    if (spec.entrypoint() != null && !spec.entrypoint().isEmpty()) {
      builder.setEntrypoint(spec.entrypoint());
    }
    if (spec.cmd() != null && !spec.cmd().isEmpty()) {
      builder.setProgramArguments(spec.cmd());
    }
    for (PlannedLayer layer : layersOnBase(plan)) {
      builder.addFileEntriesLayer(toJib(layer));
    }
    return builder;
  }

  private static AbsoluteUnixPath absolute(String workingDirectory) {
    try {
      return AbsoluteUnixPath.get(workingDirectory);
    } catch (IllegalArgumentException e) {
      throw new DataHubException("image build failed: IllegalArgumentException: " + firstLine(String.valueOf(e.getMessage()))
          + " — see the lines above; run with -X for details");
    }
  }

  /** Jib sends credentials over plain HTTP only while the JVM-wide property is set; see {@link CredentialsOverHttp}. */
  private static JibContainer containerizeWithCredentialsOverHttp(JibContainerBuilder builder, Containerizer containerizer)
      throws InterruptedException, RegistryException, IOException, CacheDirectoryCreationException, ExecutionException {
    CredentialsOverHttp.acquire();
    try {
      return builder.containerize(containerizer);
    } finally {
      CredentialsOverHttp.release();
    }
  }

  /** The layers with the base image's directories read, so content layers keep the base's owner and mode of their ancestors. */
  private List<PlannedLayer> layersOnBase(ImagePlan plan) {
    ImageSpec spec = plan.spec();
    if (plan.base().isEmpty() || spec.content().isEmpty()) {
      return plan.layers();
    }
    ImageReference base = plan.base().get();
    String pinned = ImageReference.of(base.getRegistry(), base.getRepository(), null, plan.baseDigest()).toString();
    Map<String, BaseImageLayers.Directory> directories;
    try (BaseImageLayers layers = BaseImageLayers.open(pinned, spec.allowInsecureRegistries(), credentials,
        spec.cacheDirectory())) {
      directories = layers.directories();
    }
    return ImageFiles.plan(spec.content(), spec.extraLayers(), spec.projectDirectory(), directories);
  }

  /**
   * A Jib failure as one line. A registry that refused the credentials or the access (Jib's unauthorized and
   * authentication-failed exceptions, or an HTTP 401/403 response anywhere in the causes) gets the credentials fix.
   */
  private static DataHubException translate(ImagePlan plan, Throwable e) {
    if (e instanceof DataHubException d) {
      return d;
    }
    String message = String.valueOf(e.getMessage());
    if (refusedAccess(e)) {
      String host = plan.target().map(ImageReference::getRegistry).orElse(plan.base().map(ImageReference::getRegistry).orElse("?"));
      return new DataHubException("registry refused the credentials or the access (" + firstLine(message) + ") — {}, or "
          + "'docker login " + host + "'", Fix.credentials(host, "a username/password that may push"));
    }
    return new DataHubException("image build failed: " + e.getClass().getSimpleName() + ": " + firstLine(message)
        + " — see the lines above; run with -X for details");
  }

  private static boolean refusedAccess(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RegistryUnauthorizedException || t instanceof RegistryAuthenticationFailedException
          || t instanceof ResponseException r && (r.getStatusCode() == 401 || r.getStatusCode() == 403)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private RegistryImage withCredentials(RegistryImage image, ImageReference reference) {
    Optional<RegistryCredential> credential = credentials.forRegistry(reference.getRegistry());
    credential.ifPresent(c -> image.addCredential(c.username(), c.password()));
    // then what Jib itself would use: ~/.docker/config.json (docker login) and the well-known credential helpers
    CredentialRetrieverFactory factory = CredentialRetrieverFactory.forImage(reference, event -> log.debug(event.getMessage()));
    image.addCredentialRetriever(factory.dockerConfig());
    image.addCredentialRetriever(factory.wellKnownCredentialHelpers());
    return image;
  }

  private static FileEntriesLayer toJib(PlannedLayer layer) {
    FileEntriesLayer.Builder builder = FileEntriesLayer.builder().setName(layer.name());
    for (ImageFile file : layer.files()) {
      builder.addEntry(new FileEntry(file.source(), AbsoluteUnixPath.get(file.pathInImage()),
          JibPermissions.of(file.mode()), FIXED_TIME,
          file.owner() != null ? file.owner() : layer.owner()));
    }
    return builder.build();
  }
}
