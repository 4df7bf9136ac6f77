package dev.datahub.maven;

/** {@code <environments>} with {@code <staging>} and {@code <prod>}. */
public class Environments {

  EnvironmentConfig staging;

  EnvironmentConfig prod;
}
