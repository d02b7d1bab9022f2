"""Where Splink's SQL runs: DuckDB embedded (the default) or Spark (``shomar[spark]``).

An engine answers what differs between the two: how the feature table gets in, how SQL over the
scored pairs comes back as pandas, and what must be closed afterwards. The comparison and
blocking SQL is the same definition on both (Splink renders its library levels per dialect; the
custom levels use only portable SQL on precomputed columns), so nothing here asks which engine it
is.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from shomar.errors import LinkError
from shomar.link.spark_functions import register_functions

ENGINES = ("duckdb", "spark")
"""The engines ``LinkSettings.engine`` accepts."""

LOCAL_MASTER = "local[2]"
"""Spark master when none is given: two threads in this process's JVM."""

_MIN_JAVA = 17  # Spark 4 runs on Java 17 and 21


class Engine(Protocol):
    dialect: str
    """Splink's name for the SQL dialect (``duckdb``, ``spark``)."""
    trains_in_place: bool
    """True when the model is trained on this engine's own tables; False: it is trained on
    embedded DuckDB and its parameters carried over, so both engines score one model."""

    def register(self, features: pd.DataFrame) -> Any:
        """The feature table as a Splink input table on this engine."""

    def frame(self, table: Any, sql: str) -> pd.DataFrame:
        """Run ``sql`` (which names the Splink table ``table`` as ``{table}``) and return pandas."""

    def failure(self, error: Exception) -> LinkError | None:
        """A one-line LinkError for an error of this engine's own (None for any other)."""

    def close(self) -> None:
        """Release what the engine opened (a Spark session it started, its scratch folder)."""


def open_engine(name: str, *, spark_master: str | None = None) -> Engine:
    """The engine called ``name``; a clear LinkError when it cannot run here."""
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        return SparkEngine(master=spark_master)
    raise LinkError(f"unknown engine {name!r}: use {' or '.join(ENGINES)}")


class DuckDBEngine:
    dialect = "duckdb"
    trains_in_place = True

    def register(self, features: pd.DataFrame) -> Any:
        import duckdb
        from splink import DuckDBAPI

        connection = duckdb.connect()
        connection.execute("SET enable_progress_bar = false")  # its bar would break the CLI's output
        return DuckDBAPI(connection=connection).register(features, dataset_display_name="records")

    def frame(self, table: Any, sql: str) -> pd.DataFrame:
        # Through Arrow: text stays Arrow-backed, never one Python object per value.
        result = table.as_duckdbpyrelation().query("pairs", sql.format(table="pairs")).arrow().read_all()
        frame: pd.DataFrame = result.to_pandas()
        return frame

    def failure(self, error: Exception) -> LinkError | None:
        return None

    def close(self) -> None:
        pass


class SparkEngine:
    """Splink's SparkAPI on a session this engine starts (``local[2]`` unless a master URL is
    given) or on the session already active in this process, which it then leaves open (and in
    which it replaces any ``jaro_winkler`` function by its own).

    Nothing is downloaded and no jar is loaded: ``jaro_winkler`` is DuckDB's own, written in Spark
    SQL (``spark_functions``), so both engines put every pair in the same comparison levels.
    """

    dialect = "spark"
    trains_in_place = False

    def __init__(self, *, master: str | None = None) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError as e:
            raise LinkError("the Spark engine needs pyspark: pip install 'shomar[spark]'") from e
        self.scratch: Path | None = None
        self.gateway: Any = None
        active = SparkSession.getActiveSession()
        self.is_owner = active is None
        if active is not None:
            self.spark = active
        else:
            _check_java()
            self.scratch = Path(tempfile.mkdtemp(prefix="shomar-spark-"))
            try:
                self.spark, self.gateway = _start_session(master or LOCAL_MASTER, self.scratch)
            except BaseException:
                shutil.rmtree(self.scratch, ignore_errors=True)
                raise
        # Failed queries are reported once, as a LinkError, not also as JSON log lines.
        logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
        register_functions(self.spark)

    def register(self, features: pd.DataFrame) -> Any:
        from splink import SparkAPI

        logging.getLogger("splink").setLevel(logging.ERROR)
        db_api = SparkAPI(
            spark_session=self.spark,
            # Intermediate tables as parquet in the checkpoint folder (a temporary one in local
            # mode): without the lineage cut, plans grow past what Spark compiles.
            break_lineage_method="parquet" if self._has_checkpoints() else "persist",
            num_partitions_on_repartition=self.spark.sparkContext.defaultParallelism,
            register_udfs_automatically=False,  # the jar's jaro_winkler is not DuckDB's
        )
        # An explicit schema: Spark cannot infer the type of an all-null column.
        schema = _spark_schema(features)
        data = features.astype(object).where(features.notna(), None)
        table = self.spark.createDataFrame(data, schema=schema)
        # A fresh view name: the session may outlive this linkage (a reused session, tests).
        return db_api.register(table, table_name=f"shomar_records_{uuid.uuid4().hex[:12]}",
                               dataset_display_name="records")

    def _has_checkpoints(self) -> bool:
        return not self.spark.sparkContext._jsc.sc().getCheckpointDir().isEmpty()

    def frame(self, table: Any, sql: str) -> pd.DataFrame:
        frame: pd.DataFrame = self.spark.sql(sql.format(table=table.physical_name)).toPandas()
        return frame

    def failure(self, error: Exception) -> LinkError | None:
        from py4j.protocol import Py4JError
        from pyspark.errors import PySparkException

        if not isinstance(error, PySparkException | Py4JError):
            return None
        try:  # while the JVM is up: pyspark asks it for the message
            text = str(error).strip()
        except Exception:
            text = ""
        first = text.splitlines()[0] if text else type(error).__name__
        return LinkError(f"Spark failed: {first}")

    def close(self) -> None:
        if self.is_owner:
            self.spark.stop()
        if self.gateway is not None:
            _stop_gateway(self.gateway)
            self.gateway = None
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


def _spark_schema(features: pd.DataFrame) -> Any:
    from pyspark.sql import types as t

    def spark_type(column: pd.Series) -> Any:
        if pd.api.types.is_bool_dtype(column.dtype):
            return t.BooleanType()
        if pd.api.types.is_integer_dtype(column.dtype):
            return t.LongType()
        if pd.api.types.is_float_dtype(column.dtype):
            return t.DoubleType()  # integer columns with missing values arrive as float
        present = column.dropna()
        if len(present) and isinstance(present.iloc[0], list | tuple):
            return t.ArrayType(t.StringType())  # lists of keys (alias skeletons)
        return t.StringType()

    return t.StructType([t.StructField(str(name), spark_type(features[name]), nullable=True)
                         for name in features.columns])


def _check_java() -> None:
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        raise LinkError(f"the Spark engine needs Java {_MIN_JAVA} or later: install it "
                        "(e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME")
    try:
        shown = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError) as e:
        raise LinkError(f"the Spark engine needs Java {_MIN_JAVA} or later; {java} did not run: {e}") from e
    found = re.search(r'version "(\d+)(?:\.(\d+))?', shown)
    major = int(found.group(1)) if found else 0
    if major == 1 and found and found.group(2):
        major = int(found.group(2))  # "1.8.0_…" is Java 8
    if major < _MIN_JAVA:
        raise LinkError(f"the Spark engine needs Java {_MIN_JAVA} or later; {java} is "
                        f"{shown.splitlines()[0] if shown else 'of unknown version'}")


_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
# Generated code over 64 KB falls back to the interpreter: a stack trace for nothing.
logger.codegen.name = org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator
logger.codegen.level = fatal
"""


def _start_session(master: str, scratch: Path) -> tuple[Any, Any]:
    """A new session and the JVM gateway it runs on (None when this process already had one).

    The JVM's own console output (start-up banners, warnings) goes to ``spark.log`` in the
    scratch folder; errors still reach Python as exceptions.
    """
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession

    (scratch / "log4j2.properties").write_text(_LOG4J, encoding="utf-8")
    conf = (
        SparkConf().setMaster(master).setAppName("shomar")
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
        .set("spark.sql.execution.arrow.pyspark.enabled", "true")
        .set("spark.sql.warehouse.dir", str(scratch / "warehouse"))
        .set("spark.driver.extraJavaOptions",
             f"-Dlog4j.configurationFile={scratch / 'log4j2.properties'} "
             f"-Dderby.system.home={scratch / 'derby'}")
    )
    is_local = master.startswith("local")
    if is_local:
        # A handful of partitions, not Spark's 200: local mode has a few cores and small data.
        threads = re.fullmatch(r"local\[(\d+)\]", master)
        partitions = str(int(threads.group(1)) if threads else 2)
        conf = (conf.set("spark.sql.shuffle.partitions", partitions)
                .set("spark.default.parallelism", partitions)
                .set("spark.sql.adaptive.enabled", "false"))
    log = scratch / "spark.log"
    gateway = None
    try:
        if SparkContext._gateway is None:
            with log.open("ab") as sink:
                gateway = launch_gateway(conf, popen_kwargs={"stdout": sink, "stderr": sink})
        context = SparkContext(conf=conf, gateway=gateway)
    except Exception as e:  # the JVM did not start, or Spark did not start in it: say why in one line
        if gateway is not None:
            _stop_gateway(gateway)
        shown = log.read_text(errors="replace") if log.exists() else ""
        cause = re.search(r"(?:Exception|Error): (.+)", shown)
        why = cause.group(1).strip() if cause else (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise LinkError(f"Spark did not start (master {master}): {why}") from e
    spark = SparkSession(context)
    context.setLogLevel("ERROR")
    if is_local:
        context.setCheckpointDir(str(scratch / "checkpoints"))
    return spark, gateway


def _stop_gateway(gateway: Any) -> None:
    """End the JVM this engine started, so no Java process outlives the linkage."""
    from pyspark import SparkContext

    gateway.shutdown()
    if gateway.proc is not None:
        gateway.proc.stdin.close()  # the gateway server exits when its stdin closes
        try:
            gateway.proc.wait(timeout=30)
        except Exception:
            gateway.proc.kill()
    SparkContext._gateway = None
    SparkContext._jvm = None
