package org.sparkgmm.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;

/** Counts the Spark jobs started on the shared session, and their descriptions, as Spark's own listener bus reports them. */
public final class JobCounter extends SparkListener {
  private final AtomicLong jobs = new AtomicLong();
  private final List<String> descriptions = Collections.synchronizedList(new ArrayList<>());
  private final SparkContext context;

  private JobCounter(SparkContext context) {
    this.context = context;
  }

  /** Registers a counter on the shared session. */
  public static JobCounter start() {
    SparkContext sc = SharedSpark.session().sparkContext();
    JobCounter counter = new JobCounter(sc);
    sc.addSparkListener(counter);
    return counter;
  }

  @Override
  public void onJobStart(SparkListenerJobStart event) {
    jobs.incrementAndGet();
    String d = event.properties() == null ? null : event.properties().getProperty("spark.job.description");
    descriptions.add(d == null ? "" : d);
  }

  /** The description of every job started so far (what the Spark UI shows), in order. */
  public List<String> descriptions() {
    count();
    synchronized (descriptions) {
      return List.copyOf(descriptions);
    }
  }

  /** Stops listening. */
  public void stop() {
    context.removeSparkListener(this);
  }

  /** Jobs started so far, once every event already posted has been delivered. */
  public long count() {
    try {
      context.listenerBus().waitUntilEmpty();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain", e);
    }
    return jobs.get();
  }
}
