-- The rollup refresher's append path (docs/rollups.md, "Appending"). Per point, the newest reading
-- the stored rollups account for, kept only while they account for nothing newer: readings that
-- come after it extend the stored rows instead of recomputing them. `kind` is the point's kind when
-- the mark was set; a point whose kind changed since is recomputed.
create table rollup_marks (
  point_id int primary key references points (id) on delete cascade,
  kind text not null,
  through_ts timestamptz not null,
  through_value double precision not null
);

-- Whether a point still has readings waiting in the log decides whether its mark may be set.
create index rollup_invalidations_point on rollup_invalidations (point_id);
