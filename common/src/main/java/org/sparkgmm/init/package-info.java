/**
 * How EM is started: the distributed k-means|| and exact k-means++ seedings, Lloyd passes, random
 * and labelled responsibilities, random rows, and data moments. Every algorithm here is written
 * against {@link org.sparkgmm.data.DataPass}, so one pass is one scan of the data wherever it is;
 * random choices come from {@link org.sparkgmm.init.RowHash} so they do not depend on partitioning.
 */
package org.sparkgmm.init;
