import { AssetRow, PointRow } from '@hallwatch/registry';

export interface AssetWithPoints<Point> {
  key: string;
  name: string;
  type: string;
  tags: string[];
  attributes: AssetRow['attributes'];
  points: Point[];
}

/** A site's assets as the registry files write them: each with its own points, each point in the shape `pointAs` gives it. */
export function assetTree<Point>(
  assets: AssetRow[],
  points: PointRow[],
  pointAs: (point: PointRow) => Point,
): Array<AssetWithPoints<Point>> {
  return assets.map((asset) => ({
    key: asset.key,
    name: asset.name,
    type: asset.type,
    tags: asset.tags,
    attributes: asset.attributes,
    points: points.filter((point) => point.assetId === asset.id).map(pointAs),
  }));
}
