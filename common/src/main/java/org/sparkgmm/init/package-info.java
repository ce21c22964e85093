/**
 * How EM is started: the distributed k-means|| and exact k-means++ seedings, Lloyd passes, random
 * and labelled responsibilities, random rows, data moments and ranges, and the recipe that turns them
into starts of any structure ({@link org.sparkgmm.init.Starts}: templates of the structure gather
the statistics of a hard partition or of preset responsibilities, and the M-step makes the start). Every algorithm here is written
 * against {@link org.sparkgmm.data.DataPass}, so one pass is one scan of the data wherever it is;
 * random choices come from {@link org.sparkgmm.init.RowHash} so they do not depend on partitioning.
 */
package org.sparkgmm.init;
