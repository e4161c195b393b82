@echo off
rem solo launcher for Windows. The first run builds the runnable jar (Maven wrapper) and a
rem class-data-sharing archive; later runs start the jar directly.
setlocal
set "HERE=%~dp0"
set "JAR=%HERE%cli\target\solo.jar"
set "JSA=%HERE%cli\target\solo.jsa"
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")

if "%SOLO_REBUILD%"=="1" goto build
if exist "%JAR%" goto cds
:build
echo solo: building the runnable jar (first run takes a minute or two)... 1>&2
rem Only the jar: -Dsolo.jarOnly leaves out the test libraries, -Dmaven.test.skip compiles no tests.
pushd "%HERE%"
call "%HERE%mvnw.cmd" -q -pl cli -am -Dsolo.jarOnly -Dmaven.test.skip=true package 1>&2
set "BUILD_ERROR=%ERRORLEVEL%"
popd
if not "%BUILD_ERROR%"=="0" (
  echo solo: the build failed, see above. 1>&2
  exit /b 1
)
if exist "%JSA%" del "%JSA%"

:cds
if not exist "%JSA%" "%JAVA%" -XX:ArchiveClassesAtExit="%JSA%" -cp "%JAR%" dev.solo.cli.Main cds-training >nul 2>&1
if exist "%JSA%" (
  "%JAVA%" -XX:SharedArchiveFile="%JSA%" -Xshare:auto -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED -Dsolo.launcher="%~f0" -cp "%JAR%" dev.solo.cli.Main %*
) else (
  "%JAVA%" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED -Dsolo.launcher="%~f0" -cp "%JAR%" dev.solo.cli.Main %*
)
exit /b %ERRORLEVEL%
