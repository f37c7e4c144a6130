import { Module } from '@nestjs/common';
import { AlertsModule } from '@hallwatch/alerts';
import { AuthModule } from '@hallwatch/auth';
import { CoreModule } from '@hallwatch/core';
import { LiveModule } from '@hallwatch/live';
import { ReadingsModule } from '@hallwatch/readings';
import { RegistryModule } from '@hallwatch/registry';
import { AlertFeed } from './alert-feed.service';
import { BatchWriter } from './batch-writer.service';
import { IngestMetrics } from './ingest.metrics';
import { IngestPipeline } from './ingest-pipeline.service';
import { MqttNativeSource } from './mqtt-native.source';
import { OpcuaSource } from './opcua/opcua.source';
import { PointDirectory } from './point-directory.service';
import { ReplayIntake } from './replay-intake.service';
import { RollupRefreshLoop } from './rollup-refresh.service';
import { SourcePresence } from './source-presence.service';
import { SparkplugSource } from './sparkplug/sparkplug.source';

/** Sources (MQTT native v1, Sparkplug B, OPC UA) -> validate -> map -> batch write -> live fan-out and alert evaluation. */
@Module({
  imports: [CoreModule, AuthModule, RegistryModule, ReadingsModule, LiveModule, AlertsModule],
  providers: [
    AlertFeed,
    PointDirectory,
    IngestMetrics,
    BatchWriter,
    RollupRefreshLoop,
    IngestPipeline,
    SourcePresence,
    MqttNativeSource,
    SparkplugSource,
    OpcuaSource,
    ReplayIntake,
  ],
})
export class IngestModule {}
