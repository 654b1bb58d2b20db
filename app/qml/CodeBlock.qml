import QtQuick
import QtQuick.Controls
import Facet

// A fenced code block of a message: a header bar with the language and a
// Copy button (its icon turns into a check once copied), then the code in
// monospace with syntax colors (CodeHighlighter), scrolling sideways when a
// line is longer than the column.
Rectangle {
    id: codeBox
    required property Theme theme
    required property ChatController chat
    required property var block  // {code, language, text} (markdown_blocks.h)
    property bool copied: false

    height: header.height + body.height
    radius: theme.radius
    color: theme.codeBackground
    border.color: theme.border
    clip: true
    Accessible.role: Accessible.Section
    Accessible.name: qsTr("Code block %1").arg(language.text)

    Rectangle {
        id: header
        width: parent.width
        height: 34
        radius: codeBox.radius
        color: codeBox.theme.codeHeader
        // Square bottom corners: only the box's top corners are round.
        Rectangle {
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            height: codeBox.radius
            color: parent.color
        }
        Label {
            id: language
            anchors.left: parent.left
            anchors.leftMargin: 12
            anchors.verticalCenter: parent.verticalCenter
            text: codeBox.block && codeBox.block.language !== "" ? codeBox.block.language : qsTr("code")
            color: codeBox.theme.mutedText
            font.pixelSize: codeBox.theme.smallSize
            font.family: codeBox.theme.monoFamily
        }
        IconButton {
            id: copyCode
            objectName: "copyCode"
            anchors.right: parent.right
            anchors.rightMargin: 4
            anchors.verticalCenter: parent.verticalCenter
            theme: codeBox.theme
            iconName: codeBox.copied ? "check" : "copy"
            iconColor: codeBox.copied ? codeBox.theme.success : hovered || visualFocus ? codeBox.theme.text : codeBox.theme.mutedText
            size: codeBox.theme.iconSize - 4
            showText: true
            text: codeBox.copied ? qsTr("Copied") : qsTr("Copy")
            tip: qsTr("Copy code")
            onClicked: {
                codeBox.chat.copyText(codeBox.block.text)
                codeBox.copied = true
                copiedTimer.restart()
            }
            Accessible.name: qsTr("Copy code")
        }
        Timer {
            id: copiedTimer
            interval: 2000
            onTriggered: codeBox.copied = false
        }
    }

    Flickable {
        id: body
        anchors.top: header.bottom
        width: parent.width
        height: codeEdit.height + (hbar.visible ? hbar.height : 0)
        contentWidth: codeEdit.width
        contentHeight: codeEdit.height
        flickableDirection: Flickable.HorizontalFlick
        boundsBehavior: Flickable.StopAtBounds
        clip: true
        ScrollBar.horizontal: ScrollBar {
            id: hbar
            policy: body.contentWidth > body.width ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
            visible: body.contentWidth > body.width
        }
        TextEdit {
            id: codeEdit
            width: Math.max(body.width, implicitWidth)
            padding: 12
            text: codeBox.block ? codeBox.block.text : ""
            readOnly: true
            selectByMouse: true
            wrapMode: TextEdit.NoWrap
            textFormat: TextEdit.PlainText
            color: codeBox.theme.text
            selectionColor: codeBox.theme.accent
            font.family: codeBox.theme.monoFamily
            font.pixelSize: codeBox.theme.bodySize - 1
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Code")
            Accessible.readOnly: true
            CodeHighlighter {
                document: codeEdit.textDocument
                language: codeBox.block ? codeBox.block.language : ""
                dark: codeBox.theme.dark
            }
        }
    }
}
