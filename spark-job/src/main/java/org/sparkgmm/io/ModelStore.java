package org.sparkgmm.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkgmm.errors.BadInputException;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;

/** Where models live in an output directory ({@code model/model.json}) and how they are read back. */
public final class ModelStore {
  /** The model file's path inside an output directory. */
  public static final String MODEL_FILE = "model/model.json";

  private ModelStore() {}

  /**
   * Reads a model from a model.json file, an output directory, or a model/ directory.
   *
   * @throws BadInputException when nothing readable is there or the file is not a valid model
   */
  public static Mixture read(String location, Configuration conf) {
    String[] found = text(location, conf);
    try {
      return ModelJson.read(found[1], found[0]);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
  }

  /**
   * The {@code effective_rows} of the model at {@code location} (NaN when its file has none).
   *
   * @throws BadInputException as {@link #read}
   */
  public static double effectiveRows(String location, Configuration conf) {
    String[] found = text(location, conf);
    try {
      return ModelJson.effectiveRows(found[1], found[0]);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
  }

  /** {file, text} of the model file at a location (a file, an output directory or a model/ directory). */
  private static String[] text(String location, Configuration conf) {
    Path path = new Path(location);
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.exists(path)) {
        throw new BadInputException("Model " + location + " does not exist");
      }
      Path file = path;
      if (fs.getFileStatus(path).isDirectory()) {
        file = fs.exists(new Path(path, MODEL_FILE)) ? new Path(path, MODEL_FILE) : new Path(path, "model.json");
      }
      String text;
      try (InputStream in = fs.open(file)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return new String[] {file.toString(), text};
    } catch (FileNotFoundException e) {
      if (AccessErrors.denied(e)) {
        throw new BadInputException("Cannot read model " + location + ": permission denied", e);
      }
      throw new BadInputException("No model.json under " + location + " (expected " + MODEL_FILE
          + " or model.json)", e);
    } catch (IOException e) {
      throw new BadInputException("Cannot read model " + location + ": " + e.getMessage(), e);
    }
  }
}
