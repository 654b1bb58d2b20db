import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet

// One message, in a column capped to the theme's content width and centred:
// the user's as a bubble on the right, the model's as full-width text with
// no bubble. Inside: the thinking (collapsible, with how long it took), the
// pictures, the text as Markdown prose and fenced code blocks (CodeBlock;
// citations [n] of a document answer are links to its sources) and the
// sources. Under it its actions (copy, regenerate the last answer, edit a
// prompt, earlier answers), shown on hover, on keyboard focus and for the
// last message. Parts most messages never show (the editor, the thinking
// text, code blocks) are created only when needed: a delegate per message.
// (No "ComponentBehavior: Bound" here: the code and prose components are
// instantiated by Loaders inside the blocks' Repeater delegates.)
Item {
    id: bubble
    required property Theme theme
    required property ChatController chat
    required property int index
    required property var messageId
    required property int alternatives
    required property string role
    required property string text
    required property string thinking
    required property bool partial
    required property int tokens
    required property var blocks
    required property real thinkingSeconds
    required property var sources  // a document answer's numbered sources (SourcesPanel)
    required property var images   // the pictures sent with a user message: [{source, name}]
    // A thumbnail was clicked: the page shows the picture larger.
    signal showImage(url source, string name)

    readonly property bool fromUser: role === "user"
    readonly property bool isLast: ListView.view ? index === ListView.view.count - 1 : false
    readonly property real columnWidth: Math.max(0, Math.min(theme.contentWidth, width - 4 * theme.spacing))
    readonly property bool hasCode: {
        for (let i = 0; i < blocks.length; ++i)
            if (blocks[i].code) return true
        return false
    }
    readonly property int pictureSize: 120
    // The user's bubble hugs its text, up to 80 % of the column.
    readonly property real userWidth: {
        const most = columnWidth * 0.8
        if (editing || hasCode) return most
        const pictures = images.length > 0 ? images.length * (pictureSize + 6) : 0
        return Math.min(most, Math.max(measure.implicitWidth + 8, pictures, 40) + 2 * userPadding)
    }
    readonly property int userPadding: 14
    readonly property bool actionsFocused: copyButton.activeFocus || regenerateButton.activeFocus
                                           || editButton.activeFocus
    property bool editing: false
    property bool copied: false

    implicitHeight: column.height
    Accessible.role: Accessible.StaticText
    Accessible.name: (fromUser ? qsTr("You: ") : qsTr("Model: ")) + text

    HoverHandler { id: hover }
    // The user's text, measured for the bubble's width (never shown).
    Text {
        id: measure
        visible: false
        text: bubble.fromUser ? bubble.text : ""
        textFormat: Text.PlainText
        font.pixelSize: bubble.theme.bodySize
    }

    Column {
        id: column
        x: (bubble.width - width) / 2
        width: bubble.columnWidth
        spacing: 2

        Rectangle {
            id: messageBox
            readonly property int pad: bubble.fromUser ? bubble.userPadding : 0
            x: bubble.fromUser ? column.width - width : 0
            width: bubble.fromUser ? bubble.userWidth : column.width
            height: inner.height + (bubble.fromUser ? 20 : 0)
            radius: 18
            color: bubble.fromUser && !bubble.editing ? bubble.theme.userBubble : "transparent"

            Column {
                id: inner
                x: messageBox.pad
                y: bubble.fromUser ? 10 : 0
                width: messageBox.width - 2 * messageBox.pad
                spacing: bubble.theme.spacing / 2

                IconButton {
                    id: thinkingToggle
                    visible: bubble.thinking !== ""
                    theme: bubble.theme
                    checkable: true
                    showText: true
                    iconName: checked ? "chevron-down" : "chevron-right"
                    size: bubble.theme.iconSize - 4
                    leftPadding: 4
                    text: (checked ? qsTr("Hide thinking") : qsTr("Show thinking"))
                          + (bubble.thinkingSeconds > 0 ? qsTr(" (thought for %1 s)").arg(bubble.thinkingSeconds.toLocaleString(Qt.locale(), "f", 1)) : "")
                    Accessible.name: text
                }
                Loader {
                    width: inner.width
                    active: thinkingToggle.checked && bubble.thinking !== ""
                    visible: active
                    sourceComponent: Label {
                        text: bubble.thinking
                        wrapMode: Text.Wrap
                        color: bubble.theme.mutedText
                        font.italic: true
                        font.pixelSize: bubble.theme.bodySize
                        leftPadding: bubble.theme.spacing
                        Rectangle {
                            width: 2
                            height: parent.height
                            color: bubble.theme.border
                        }
                    }
                }

                // The pictures, before the text as the model saw them. A broken or
                // missing file shows a placeholder; a click shows the picture larger.
                Flow {
                    width: inner.width
                    visible: bubble.images.length > 0
                    spacing: 6
                    Repeater {
                        model: bubble.images
                        delegate: AbstractButton {
                            id: pictureButton
                            required property var modelData
                            required property int index
                            objectName: "messagePicture-" + index
                            width: bubble.pictureSize
                            height: bubble.pictureSize
                            onClicked: bubble.showImage(modelData.source, modelData.name)
                            Accessible.role: Accessible.Button
                            Accessible.name: qsTr("Picture %1: show it larger").arg(modelData.name)
                            ToolTip.visible: hovered
                            ToolTip.text: modelData.name
                            background: Rectangle {
                                radius: bubble.theme.radius
                                color: bubble.theme.surface
                                border.width: pictureButton.visualFocus ? 2 : 1
                                border.color: pictureButton.visualFocus ? bubble.theme.accent : bubble.theme.border
                            }
                            contentItem: Item {
                                clip: true
                                Image {
                                    id: thumbnail
                                    objectName: "messagePictureImage"
                                    anchors.fill: parent
                                    anchors.margins: 1
                                    source: pictureButton.modelData.source
                                    sourceSize.width: 240
                                    sourceSize.height: 240
                                    fillMode: Image.PreserveAspectCrop
                                    asynchronous: true
                                }
                                Label {
                                    anchors.fill: parent
                                    anchors.margins: 4
                                    visible: thumbnail.status === Image.Error || thumbnail.status === Image.Null
                                    text: qsTr("Picture missing")
                                    wrapMode: Text.Wrap
                                    horizontalAlignment: Text.AlignHCenter
                                    verticalAlignment: Text.AlignVCenter
                                    color: bubble.theme.mutedText
                                    font.pixelSize: bubble.theme.smallSize
                                }
                            }
                        }
                    }
                }

                // Prose as Markdown; fenced code with its language, a copy
                // button and colors. A plain Column: the blocks are rebuilt as
                // a reply streams, which Qt 6.4's layouts do not survive inside a Repeater.
                Column {
                    id: blocksColumn
                    width: inner.width
                    visible: !bubble.editing
                    spacing: bubble.theme.spacing / 2
                    Repeater {
                        model: bubble.blocks
                        delegate: Loader {
                            required property var modelData
                            property var block: modelData
                            width: blocksColumn.width
                            sourceComponent: modelData.code ? codeBlock : proseBlock
                        }
                    }
                }

                Loader {
                    width: inner.width
                    active: bubble.editing
                    visible: active
                    sourceComponent: editorComponent
                }

                SourcesPanel {
                    width: inner.width
                    objectName: "sourcesPanel"
                    visible: !bubble.fromUser && bubble.sources.length > 0
                    theme: bubble.theme
                    sources: bubble.sources
                    onOpenSource: (number) => bubble.chat.openSource(bubble.messageId, number)
                }
            }
        }

        // The actions: always there (no jump on hover), shown on hover, on
        // keyboard focus and under the last message.
        Row {
            id: actionsRow
            x: bubble.fromUser ? column.width - width : -6
            spacing: 0
            opacity: hover.hovered || bubble.isLast || bubble.actionsFocused || bubble.editing ? 1 : 0
            Behavior on opacity { NumberAnimation { duration: 120 } }

            IconButton {
                id: copyButton
                theme: bubble.theme
                iconName: bubble.copied ? "check" : "copy"
                iconColor: bubble.copied ? bubble.theme.success : hovered || visualFocus ? bubble.theme.text : bubble.theme.mutedText
                size: bubble.theme.iconSize - 2
                tip: bubble.copied ? qsTr("Copied") : qsTr("Copy")
                onClicked: {
                    bubble.chat.copyText(bubble.text)
                    bubble.copied = true
                    copiedTimer.restart()
                }
                Accessible.name: qsTr("Copy message")
            }
            IconButton {
                id: regenerateButton
                visible: !bubble.fromUser && bubble.isLast
                enabled: !bubble.chat.generating
                theme: bubble.theme
                iconName: "refresh-cw"
                size: bubble.theme.iconSize - 2
                tip: qsTr("Regenerate")
                onClicked: bubble.chat.regenerate()
                Accessible.name: qsTr("Regenerate the answer")
            }
            IconButton {
                id: editButton
                visible: bubble.fromUser && !bubble.editing
                enabled: !bubble.chat.generating
                theme: bubble.theme
                iconName: "pencil"
                size: bubble.theme.iconSize - 2
                tip: qsTr("Edit")
                onClicked: bubble.editing = true
                Accessible.name: qsTr("Edit message")
            }
            // Earlier answers to the same prompt: show one (it swaps with this one).
            Repeater {
                model: bubble.fromUser ? 0 : bubble.alternatives
                IconButton {
                    required property int index
                    theme: bubble.theme
                    showText: true
                    iconName: index === 0 ? "history" : ""
                    size: bubble.theme.iconSize - 4
                    text: qsTr("Answer %1").arg(index + 1)
                    tip: qsTr("Show earlier answer %1").arg(index + 1)
                    enabled: !bubble.chat.generating
                    onClicked: bubble.chat.showAlternative(bubble.messageId, index)
                    Accessible.name: qsTr("Show earlier answer %1").arg(index + 1)
                }
            }
            Label {
                readonly property bool incomplete: bubble.partial && !bubble.fromUser && !bubble.chat.generating
                anchors.verticalCenter: parent.verticalCenter
                leftPadding: 6
                visible: text !== ""
                text: (incomplete ? qsTr("(incomplete)") + (bubble.tokens > 0 ? "  ·  " : "") : "")
                      + (bubble.fromUser || bubble.tokens < 1 ? "" : qsTr("%n token(s)", "", bubble.tokens))
                color: bubble.theme.mutedText
                font.pixelSize: bubble.theme.smallSize
                Accessible.role: Accessible.StaticText
                Accessible.name: text
            }
        }
    }

    Timer {
        id: copiedTimer
        interval: 2000
        onTriggered: bubble.copied = false
    }

    Component {
        id: editorComponent
        Rectangle {
            implicitHeight: editColumn.implicitHeight + 2 * bubble.theme.spacing
            radius: 18
            color: bubble.theme.userBubble
            border.color: bubble.theme.accent
            ColumnLayout {
                id: editColumn
                anchors.fill: parent
                anchors.margins: bubble.theme.spacing
                TextArea {
                    id: editor
                    Layout.fillWidth: true
                    text: bubble.text
                    wrapMode: TextEdit.Wrap
                    color: bubble.theme.text
                    font.pixelSize: bubble.theme.bodySize
                    background: null
                    Accessible.name: qsTr("Edited message")
                    Keys.onEscapePressed: bubble.editing = false
                    Component.onCompleted: forceActiveFocus()
                }
                RowLayout {
                    Layout.alignment: Qt.AlignRight
                    Button {
                        text: qsTr("Cancel")
                        flat: true
                        onClicked: bubble.editing = false
                        Accessible.name: qsTr("Cancel editing")
                    }
                    Button {
                        text: qsTr("Save and resend")
                        highlighted: true
                        onClicked: if (bubble.chat.editAndResend(bubble.messageId, editor.text)) bubble.editing = false
                        Accessible.name: text
                    }
                }
            }
        }
    }

    Component {
        id: proseBlock
        TextEdit {
            id: prose
            readonly property var block: parent ? parent.block : null
            text: block ? block.text : ""
            readOnly: true
            selectByMouse: true
            wrapMode: TextEdit.Wrap
            textFormat: TextEdit.MarkdownText
            color: bubble.theme.text
            selectionColor: bubble.theme.accent
            font.pixelSize: bubble.theme.bodySize
            onLinkActivated: (link) => bubble.chat.activateLink(bubble.messageId, link)
            Accessible.role: Accessible.StaticText
            Accessible.name: text
            CitationChips {
                document: prose.textDocument
                color: bubble.theme.accent
            }
        }
    }

    Component {
        id: codeBlock
        CodeBlock {
            theme: bubble.theme
            chat: bubble.chat
            block: parent ? parent.block : null
        }
    }
}
