# The app's translations (included by app/CMakeLists.txt, so facet_app is in
# scope): lupdate reads facet_app's own C++ and QML sources into the .ts files
# here (target update_translations, scripts/update-translations.sh); lrelease
# compiles them at every build into .qm files embedded as :/facet/i18n/facet_<lang>.qm
# (AppTranslator, app/desktop/app_translator.cpp, loads them).
find_package(Qt6 6.4 REQUIRED COMPONENTS LinguistTools)
# facet_en.ts holds only the English plural forms ("%n file(s)": "1 file",
# "2 files"); every other English text is the source itself.
set(FACET_TS_FILES
    ${CMAKE_SOURCE_DIR}/translations/facet_de.ts
    ${CMAKE_SOURCE_DIR}/translations/facet_fr.ts
    ${CMAKE_SOURCE_DIR}/translations/facet_en.ts)
# What lupdate reads: the app's own C++ and QML (facet_app's folders; the
# libraries facet-cli shares, app/documents, http, server, ..., report in
# English). A glob, so files other changes add are read on the next configure.
set(FACET_TR_DIRS . chat models remote server_host library desktop)
set(FACET_TR_GLOBS ${CMAKE_SOURCE_DIR}/app/qml/*.qml)
set(FACET_TR_INCLUDES)
foreach(dir ${FACET_TR_DIRS})
    list(APPEND FACET_TR_GLOBS ${CMAKE_SOURCE_DIR}/app/${dir}/*.cpp ${CMAKE_SOURCE_DIR}/app/${dir}/*.h)
    list(APPEND FACET_TR_INCLUDES ${CMAKE_SOURCE_DIR}/app/${dir})
endforeach()
file(GLOB FACET_TR_SOURCES CONFIGURE_DEPENDS ${FACET_TR_GLOBS})
# No line numbers in the .ts files (lines move with every edit; the contexts
# and sources identify a message) and no vanished messages kept.
qt_add_translations(facet_app
    TS_FILES ${FACET_TS_FILES}
    SOURCES ${FACET_TR_SOURCES}
    INCLUDE_DIRECTORIES ${FACET_TR_INCLUDES}
    RESOURCE_PREFIX /facet/i18n
    LUPDATE_OPTIONS -locations none -no-obsolete)
